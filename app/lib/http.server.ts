/**
 * Throws a Response when a request cannot be served: the route's error
 * boundary shows `message` with the status. For expected failures, not bugs.
 */
export function invariantResponse(
  condition: unknown,
  message: string,
  init: { status: number } = { status: 400 },
): asserts condition {
  if (!condition) {
    throw new Response(message, {
      status: init.status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

/** A database id from a URL segment, or null when it is not one (letters, zero, too large). */
export function parseId(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}
