/**
 * `to` when it is a path on this site, otherwise `fallback`. Only relative
 * paths are honoured: "//evil.example", "/\\evil.example" and absolute URLs
 * would send the person to another site after logging in.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\"))
    return fallback;
  // Control characters and backslashes are normalised away by browsers in surprising ways.
  if ([...to].some((character) => character < " " || character === "\\")) return fallback;
  return to;
}
