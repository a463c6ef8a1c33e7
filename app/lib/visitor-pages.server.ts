import zlib from "node:zlib";
import { LRUCache } from "lru-cache";
import { carriesSessionCookie } from "./session-cookie";

/**
 * Visitors' pages, kept in memory and served without the database or React
 * (docs/decisions/030-visitor-page-cache.md). A visitor's page is the same
 * bytes for every visitor (no nonce, no scripts, no name in the header), so
 * the answer depends only on the address and on what the forum holds.
 *
 * A page is kept only while nothing it could show has changed: every write to
 * a table a visitor can see raises a notification (migration 0008) that
 * empties the cache in every process, and a form of this process that wrote
 * and succeeded empties it before its answer leaves. It is also kept at most
 * MAX_AGE_MS, so the "3 minutes ago" on it stays true to within that.
 */
export const VISITOR_PAGE_MAX_AGE_MS = 30_000;

/** The channel the database's triggers notify (drizzle/0008_visitor_page_notifications.sql). */
export const CONTENT_CHANGED_CHANNEL = "crosswalk_content_changed";

export type VisitorPage = {
  status: number;
  headers: [string, string][];
  body: Buffer;
  etag: string;
};

/** The encodings a kept page is also stored in, in the server's order of preference. */
export const KEPT_ENCODINGS = ["br", "gzip"] as const;
export type KeptEncoding = (typeof KEPT_ENCODINGS)[number];

type StoredPage = VisitorPage & { storedAt: number; encoded: Record<KeptEncoding, Buffer> };

/**
 * A kept page compressed once, when it is kept, instead of on every answer:
 * browsers ask for br or gzip, and compressing a 100 KB thread costs more than
 * serving it. Brotli at quality 4 is what the compression middleware uses for
 * a rendered answer, so a kept page is the same size on the wire.
 */
function encode(body: Buffer): Record<KeptEncoding, Buffer> {
  return {
    br: zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzip: zlib.gzipSync(body),
  };
}

/** Where a miss's rendered page may be stored, and the forum state it was read in. */
export type VisitorPageTicket = { key: string; generation: number };

class VisitorPageCache {
  private generation = 0;
  private pages: LRUCache<string, StoredPage> | undefined;
  // Pages are kept only while the database's notifications are heard.
  private listening = false;

  /** 0 turns the cache off. It keeps nothing until trustNotifications(true). */
  configure(maxMegabytes: number) {
    this.pages =
      maxMegabytes > 0
        ? new LRUCache<string, StoredPage>({
            maxSize: maxMegabytes * 1024 * 1024,
            // The key (an address may be long) and the headers count too.
            sizeCalculation: (page, key) =>
              page.body.length +
              page.encoded.br.length +
              page.encoded.gzip.length +
              key.length +
              page.headers.reduce((sum, [name, value]) => sum + name.length + value.length, 256),
          })
        : undefined;
    this.listening = false;
    this.generation++;
  }

  /** Whether the cache is on (VISITOR_CACHE_MB above 0). */
  get enabled() {
    return this.pages !== undefined;
  }

  /** Something a visitor could see changed: forget every page read before now. */
  invalidate() {
    this.generation++;
    this.pages?.clear();
  }

  /**
   * Whether a change made elsewhere would be heard. While it would not (the
   * connection that listens was lost), nothing is served or kept; when it is
   * heard again, anything may have changed meanwhile.
   */
  trustNotifications(listening: boolean) {
    this.listening = listening;
    this.invalidate();
  }

  /** For a request that may be stored: the ticket to store its page with, taken before the page is read. */
  ticket(key: string): VisitorPageTicket | undefined {
    return this.pages && this.listening ? { key, generation: this.generation } : undefined;
  }

  find(key: string, now = Date.now()): StoredPage | undefined {
    if (!this.listening) return undefined;
    const page = this.pages?.get(key);
    if (!page) return undefined;
    if (now - page.storedAt > VISITOR_PAGE_MAX_AGE_MS) {
      this.pages?.delete(key);
      return undefined;
    }
    return page;
  }

  /**
   * Keeps a rendered page, unless the forum changed while it was being read:
   * a page read before a write must not outlive the write's invalidation.
   */
  keep(ticket: VisitorPageTicket, page: VisitorPage, now = Date.now()): boolean {
    if (!this.pages || !this.listening || ticket.generation !== this.generation) return false;
    this.pages.set(ticket.key, { ...page, storedAt: now, encoded: encode(page.body) });
    return true;
  }

  get size() {
    return this.pages?.size ?? 0;
  }
}

// One cache per process, shared by server/index.ts and the app's bundle (which
// each load this module on their own), as request-work.server.ts shares its store.
const globalState = globalThis as typeof globalThis & { __crosswalkVisitorPages?: VisitorPageCache };
export const visitorPages = (globalState.__crosswalkVisitorPages ??= new VisitorPageCache());

/**
 * The cache key of a request whose answer could be a stored visitor's page,
 * or undefined: only a GET without a session cookie. The host is part of the
 * key so that nothing rendered for one name of the site is served for another.
 */
export function visitorPageKey(request: {
  method: string;
  host: string | undefined;
  path: string;
  cookie: string | undefined;
}): string | undefined {
  if (request.method !== "GET") return undefined;
  if (carriesSessionCookie(request.cookie)) return undefined;
  return `${request.host ?? ""} ${request.path}`;
}

/** True when If-None-Match names the page's validator (or is `*`). */
export function matchesValidator(ifNoneMatch: string | undefined, etag: string) {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const candidate = tag.trim();
    return candidate === "*" || candidate === etag;
  });
}
