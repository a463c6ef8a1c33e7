const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * True for a state-changing request that a browser sent from another site
 * (CSRF). Browsers say where a request comes from in Sec-Fetch-Site, or
 * failing that in Origin; a request carrying neither did not come from a
 * page in a browser, so it cannot ride on a visitor's cookies.
 */
export function isCrossSiteRequest(
  method: string,
  headers: { origin?: string | undefined; secFetchSite?: string | undefined; host: string | undefined },
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (headers.secFetchSite) return headers.secFetchSite !== "same-origin";
  if (headers.origin === undefined) return false;
  if (headers.origin === "null" || !headers.host) return true;
  try {
    return new URL(headers.origin).host !== headers.host;
  } catch {
    return true;
  }
}

export const CROSS_SITE_MESSAGE =
  "This form was sent from another website, so Crosswalk refused it. Go back to Crosswalk, reload the page and try again.";

/**
 * False for a GET that another site made without the member opening the page:
 * an image, a frame or a script's fetch carries their cookies too. A link
 * followed from elsewhere (a top-level navigation) is the member looking.
 * Every current browser sends Sec-Fetch-Site; a request without it (an old
 * browser, a tool) counts as opened, as it did before browsers said.
 */
export function isOpenedByTheMember(headers: Headers): boolean {
  const site = headers.get("Sec-Fetch-Site");
  if (site === null || site === "same-origin" || site === "none") return true;
  return headers.get("Sec-Fetch-Mode") === "navigate" && headers.get("Sec-Fetch-Dest") === "document";
}
