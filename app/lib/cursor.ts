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
  const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  const parsed = cursorSchema.safeParse({ at, id: Number(id) });
  return parsed.success ? parsed.data : null;
}
