import { absoluteUrl } from "~/lib/atom.server";

// Pages that are private, per member, or endless variations of public ones.
// Google and Bing read "*" and "$"; a crawler that does not skips those rules
// and still finds noindex on the pages. "$" keeps a slug such as
// "editing-tips" from matching "/edit".
const DISALLOWED = [
  "/mod",
  "/admin",
  "/settings",
  "/notifications",
  "/search",
  "/login",
  "/join",
  "/logout",
  "/forgot-password",
  "/reset-password",
  "/unsubscribe",
  "/posts/new",
  "/posts/*/edit$",
  "/posts/*/revisions$",
  "/posts/*/flag$",
  // A comment's only pages of its own are its edit, history and flag forms.
  "/comments/",
];

// GET /robots.txt: a resource route (no page).
export function loader() {
  const body = [
    "User-agent: *",
    "Allow: /",
    ...DISALLOWED.map((path) => `Disallow: ${path}`),
    "",
    // From PUBLIC_URL, never from the request's Host (which a client chooses).
    `Sitemap: ${absoluteUrl("/sitemap.xml")}`,
    "",
  ].join("\n");
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
