import { describe, expect, it } from "vitest";
import { closeDatabase } from "~/lib/db.server";
import { loader } from "~/routes/healthz";

describe("/healthz", () => {
  it("answers 200 ok while the database answers", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("answers 503 when the database is gone", async () => {
    await closeDatabase();
    const response = await loader();
    expect(response.status).toBe(503);
  });
});
