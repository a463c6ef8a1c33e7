import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "~/lib/same-origin";

const host = "forum.example.org";

describe("isCrossSiteRequest", () => {
  it.each(["GET", "HEAD", "OPTIONS"])("never refuses a %s, which changes nothing", (method) => {
    expect(
      isCrossSiteRequest(method, { secFetchSite: "cross-site", origin: "https://evil.example", host }),
    ).toBe(false);
  });

  it("accepts a form posted from a page of this site", () => {
    expect(isCrossSiteRequest("POST", { secFetchSite: "same-origin", origin: `https://${host}`, host })).toBe(
      false,
    );
  });

  it.each(["cross-site", "same-site", "none"])(
    "refuses a POST whose Sec-Fetch-Site is %s",
    (secFetchSite) => {
      expect(isCrossSiteRequest("POST", { secFetchSite, origin: `https://${host}`, host })).toBe(true);
    },
  );

  it("falls back to Origin in browsers without Sec-Fetch-Site", () => {
    expect(isCrossSiteRequest("POST", { origin: `https://${host}`, host })).toBe(false);
    expect(isCrossSiteRequest("POST", { origin: "https://evil.example", host })).toBe(true);
    expect(isCrossSiteRequest("POST", { origin: `https://${host}.evil.example`, host })).toBe(true);
    expect(isCrossSiteRequest("DELETE", { origin: "null", host })).toBe(true);
    expect(isCrossSiteRequest("POST", { origin: "not a url", host })).toBe(true);
  });

  it("compares the port too", () => {
    expect(isCrossSiteRequest("POST", { origin: "http://localhost:3000", host: "localhost:3000" })).toBe(
      false,
    );
    expect(isCrossSiteRequest("POST", { origin: "http://localhost:4000", host: "localhost:3000" })).toBe(
      true,
    );
  });

  it("lets through a request with neither header, which no browser page sent", () => {
    expect(isCrossSiteRequest("POST", { host })).toBe(false);
  });
});
