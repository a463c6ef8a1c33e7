import { afterAll, beforeAll } from "vitest";

/**
 * Sets PUBLIC_URL (with a trailing slash, which the app must drop) for the
 * tests of one file and puts the old value back after them.
 */
export function usePublicUrl(publicUrl: string) {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.PUBLIC_URL;
    process.env.PUBLIC_URL = `${publicUrl}/`;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.PUBLIC_URL;
    else process.env.PUBLIC_URL = saved;
  });
}
