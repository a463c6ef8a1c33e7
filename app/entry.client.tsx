import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

/**
 * Lets Remix decode the page's loader data, which arrives as a stream of
 * inline scripts, before React hydrates. Remix's own entry hydrates at once,
 * and its first render suspends until the data is decoded. A click that
 * reaches React before that render makes React 18 hydrate synchronously,
 * which cannot suspend: the render fails with error #345 and the page never
 * hydrates (docs/decisions/027-hydrate-after-the-data-is-decoded.md).
 */
async function decodeRouteData() {
  try {
    // RemixBrowser's first call starts the decoding and throws the promise
    // that settles when it is done, as a suspending component does.
    RemixBrowser({});
  } catch (thrown) {
    if (thrown instanceof Promise) await thrown;
    // Anything else (no data to wait for, or an error decoding it) is left to
    // the hydrating render, which meets it as Remix's own entry would.
  }
}

void decodeRouteData().then(() => {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
