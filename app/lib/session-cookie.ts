// The session cookie's name, in one place: session.server.ts sets it, and the
// visitor-page cache (loaded by server/index.ts too) must recognise it.
const SESSION_COOKIE_NAME = "crosswalk-session";

/** `__Host-` in production: the browser then keeps it only from this exact origin over HTTPS. */
export function sessionCookieName(production: boolean) {
  return production ? `__Host-${SESSION_COOKIE_NAME}` : SESSION_COOKIE_NAME;
}

const SESSION_COOKIE_IN_HEADER = new RegExp(`(?:^|;)\\s*(?:__Host-)?${SESSION_COOKIE_NAME}=`);

/** True when a Cookie header carries a session cookie, valid or not. */
export function carriesSessionCookie(cookieHeader: string | undefined) {
  return cookieHeader !== undefined && SESSION_COOKIE_IN_HEADER.test(cookieHeader);
}
