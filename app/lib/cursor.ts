import { z } from "zod";

/** A position in a list ordered by (timestamp, id) descending: the keyset of the last item shown. */
export type Cursor = { at: string; id: number };

// Timestamps travel as Postgres text with microseconds: a JS Date would round
// them to milliseconds and make pages skip or repeat items.
const cursorSchema = z.object({
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
  id: z.number().int().positive().max(2_147_483_647),
});

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor in a `?cursor=` parameter, or null when it is not one we made. */
export function decodeCursor(value: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return null;
  const parts = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (parts.length !== 2) return null;
  const [at, id] = parts;
  const parsed = cursorSchema.safeParse({ at, id: id && /^\d+$/.test(id) ? Number(id) : Number.NaN });
  if (!parsed.success || !isRealMoment(parsed.data.at)) return null;
  return parsed.data;
}

/** Rejects well-shaped impossible dates (month 13, 30 February), which Postgres would refuse with an error. */
function isRealMoment(at: string) {
  const milliseconds = `${at.slice(0, 23)}Z`;
  const parsed = new Date(milliseconds);
  return (
    !Number.isNaN(parsed.getTime()) && parsed.toISOString() === milliseconds && parsed.getUTCFullYear() >= 1
  );
}

/**
 * A position in a list ordered by (helpful count, id) descending: the "top"
 * sort. Encoded with a leading "h" part ("h|count|id"), so it can never be
 * read as a timestamp cursor ("at|id", the first format, still accepted as is).
 */
export type HelpfulCursor = { helpful: number; id: number };

/** Any list's cursor: a timestamp keyset, or a helpful-count keyset. */
export type ListCursor = Cursor | HelpfulCursor;

const helpfulCursorSchema = z.object({
  helpful: z.number().int().nonnegative().max(2_147_483_647),
  id: z.number().int().positive().max(2_147_483_647),
});

export function isHelpfulCursor(cursor: ListCursor): cursor is HelpfulCursor {
  return "helpful" in cursor;
}

export function encodeListCursor(cursor: ListCursor): string {
  return isHelpfulCursor(cursor)
    ? Buffer.from(`h|${cursor.helpful}|${cursor.id}`, "utf8").toString("base64url")
    : encodeCursor(cursor);
}

/** The cursor in a `?cursor=` parameter, of either kind, or null when it is not one we made. */
export function decodeListCursor(value: string): ListCursor | null {
  const timestamp = decodeCursor(value);
  if (timestamp) return timestamp;
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return null;
  const parts = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (parts.length !== 3 || parts[0] !== "h") return null;
  const asInteger = (text: string | undefined) =>
    text && /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  const parsed = helpfulCursorSchema.safeParse({ helpful: asInteger(parts[1]), id: asInteger(parts[2]) });
  return parsed.success ? parsed.data : null;
}
