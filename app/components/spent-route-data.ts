import { useEffect } from "react";

const ROUTE_DATA_SCRIPT = "window.__remixContext.streamController";

/**
 * Removes the inline scripts that carried the first page's loader data, once
 * the app has hydrated from them. React leaves them at the end of <body>, so
 * without this a member who opened /settings and then moved on in the app
 * would keep their e-mail address in the page for as long as the tab lives.
 */
export function useRemoveSpentRouteData() {
  useEffect(() => {
    for (const script of document.querySelectorAll("body > script")) {
      if (script.textContent?.startsWith(ROUTE_DATA_SCRIPT)) script.remove();
    }
  }, []);
}
