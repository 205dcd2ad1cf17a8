/** String.prototype.isWellFormed (ES2024) for our ES2023 lib: no lone UTF-16 surrogate. */
const LONE_SURROGATE = /\p{Cs}/u;

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
