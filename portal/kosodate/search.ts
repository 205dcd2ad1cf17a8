/**
 * Service search of the 子育てワンストップサービス (product-anchors §3.3): by municipality, category and
 * keyword, with paging. Pure: it reads the frozen demo catalog.
 *
 * Keyword: every white-space-separated term must occur (AND) in the folded text of a service —
 * title, English title, summary, description, municipality name, category label and the hiragana
 * readings (see normalize.ts for the folding: NFKC, lower case, katakana → hiragana).
 *
 * Order (total, so paging is stable): with a keyword, services whose title (or English title, or
 * one of the readings) contains every term come first; then municipality code, category order
 * (児童手当, 保育, ひとり親支援, 母子保健), catalog order.
 */
import {
  CATEGORY_KEYS,
  type CategoryKey,
  categoryLabel,
  isCategoryKey,
  type KosodateService,
  SERVICES,
} from './catalog.ts';
import { foldHaystack, queryTerms } from './normalize.ts';

export const SEARCH_LIMITS = { maxPageSize: 100, defaultPageSize: 20, maxKeywordLength: 100 } as const;

export interface SearchQuery {
  municipalityCode?: string;
  category?: CategoryKey;
  keyword?: string;
  /** Only services that can be applied for online. */
  onlineOnly?: boolean;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface SearchResult {
  total: number;
  page: number;
  pageSize: number;
  items: KosodateService[];
}

/**
 * JSON Schema (2020-12) of the search query string, for the route that exposes searchServices
 * (defaults filled in; values as Fastify/ajv coerce them from the query string).
 */
export const SEARCH_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    municipalityCode: { type: 'string', pattern: '^[0-9]{6}$' },
    category: { type: 'string', enum: [...CATEGORY_KEYS] },
    keyword: { type: 'string', maxLength: SEARCH_LIMITS.maxKeywordLength },
    onlineOnly: { type: 'boolean' },
    page: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 },
    pageSize: {
      type: 'integer',
      minimum: 1,
      maximum: SEARCH_LIMITS.maxPageSize,
      default: SEARCH_LIMITS.defaultPageSize,
    },
  },
} as const;

interface Indexed {
  service: KosodateService;
  order: number;
  title: string;
  all: string;
}

const INDEX: readonly Indexed[] = SERVICES.map((service, order) => {
  const label = categoryLabel(service.category);
  const title = [service.title, service.titleEn, ...service.readings].map(foldHaystack).join('\u0000');
  const all = [
    title,
    foldHaystack(service.summary),
    foldHaystack(service.description),
    foldHaystack(service.municipalityName),
    foldHaystack(label.ja),
    foldHaystack(label.en),
  ].join('\u0000');
  return { service, order, title, all };
});

/**
 * Search the catalog. Throws RangeError for a query the route schema would have refused (page or
 * pageSize out of range, unknown category, keyword too long) — callers validate first.
 */
export function searchServices(q: SearchQuery): SearchResult {
  if (!Number.isInteger(q.page) || q.page < 1) throw new RangeError('page must be an integer ≥ 1');
  if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > SEARCH_LIMITS.maxPageSize) {
    throw new RangeError(`pageSize must be an integer 1–${SEARCH_LIMITS.maxPageSize}`);
  }
  if (q.category !== undefined && !isCategoryKey(q.category)) throw new RangeError('unknown category');
  if (q.keyword !== undefined && [...q.keyword].length > SEARCH_LIMITS.maxKeywordLength) {
    throw new RangeError(`keyword must be at most ${SEARCH_LIMITS.maxKeywordLength} characters`);
  }
  const terms = q.keyword === undefined ? [] : queryTerms(q.keyword);

  const hits: { entry: Indexed; rank: number }[] = [];
  for (const entry of INDEX) {
    const s = entry.service;
    if (q.municipalityCode !== undefined && s.municipalityCode !== q.municipalityCode) continue;
    if (q.category !== undefined && s.category !== q.category) continue;
    if (q.onlineOnly && !s.onlineApplication) continue;
    if (!terms.every((t) => entry.all.includes(t))) continue;
    const rank = terms.length > 0 && terms.every((t) => entry.title.includes(t)) ? 0 : 1;
    hits.push({ entry, rank });
  }
  // INDEX is already in catalog order (municipality code, category, template): rank, then order.
  hits.sort((a, b) => a.rank - b.rank || a.entry.order - b.entry.order);

  const start = (q.page - 1) * q.pageSize;
  return {
    total: hits.length,
    page: q.page,
    pageSize: q.pageSize,
    items: hits.slice(start, start + q.pageSize).map((h) => h.entry.service),
  };
}
