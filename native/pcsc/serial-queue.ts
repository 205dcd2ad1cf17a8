/**
 * A FIFO promise queue: tasks run one at a time, in submission order, and a failing task does
 * not stop the ones behind it. DESIGN §5: "operations from the app are serialised".
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Tasks submitted and not finished yet (the running one included). */
  get size(): number {
    return this.waiting;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => task());
    this.tail = result.then(
      () => this.waiting--,
      () => this.waiting--,
    );
    return result;
  }

  /** Resolves once everything submitted so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

const perReader = new Map<string, SerialQueue>();

/**
 * The one queue for a reader name in this process: every PcscTransport on the same reader
 * shares it, so no two operations of the app ever interleave on one card.
 */
export function readerQueue(readerName: string): SerialQueue {
  let q = perReader.get(readerName);
  if (!q) {
    q = new SerialQueue();
    perReader.set(readerName, q);
  }
  return q;
}
