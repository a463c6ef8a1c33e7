import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express, { type Response } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createAdmissionGate, type AdmissionLimits } from "../../server/admission";

/**
 * A real HTTP server with the gate in front of a handler that answers only
 * when the test lets it, so "busy" is whatever the test says it is.
 */
async function startGatedServer(limits: AdmissionLimits) {
  const held: Array<() => void> = [];
  let started = 0;
  const gate = createAdmissionGate(limits, (response: Response) => {
    response.status(503).set("Retry-After", "5").type("text/plain").send("busy");
  });
  const app = express();
  app.use(gate.admit);
  app.get("/work/:name", (request, response) => {
    started++;
    held.push(() => response.type("text/plain").send(`done ${request.params.name}`));
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return {
    gate,
    request: (name: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}/work/${name}`, init),
    started: () => started,
    /** Lets the oldest request in the handler answer. */
    finishOne() {
      const answer = held.shift();
      if (!answer) throw new Error("No request is being worked on.");
      answer();
    },
  };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("the admission gate", () => {
  it("works on maxActive requests at once, queues the next ones and starts them in order of arrival", async () => {
    const server = await startGatedServer({ maxActive: 2, maxQueued: 5, queueTimeoutMs: 60_000 });
    const answers = ["a", "b", "c", "d"].map((name) => server.request(name));
    await until(() => server.gate.load().queued === 2);
    expect(server.started()).toBe(2);

    server.finishOne();
    await until(() => server.started() === 3);
    expect(server.gate.load()).toEqual({ active: 2, queued: 1 });
    server.finishOne();
    server.finishOne();
    await until(() => server.started() === 4);
    server.finishOne();

    const bodies = await Promise.all(answers.map(async (answer) => (await answer).text()));
    expect(bodies).toEqual(["done a", "done b", "done c", "done d"]);
    expect(server.gate.load()).toEqual({ active: 0, queued: 0 });
  });

  it("answers 503 at once when the queue is full, and works on nothing it refused", async () => {
    const server = await startGatedServer({ maxActive: 1, maxQueued: 1, queueTimeoutMs: 60_000 });
    const first = server.request("first");
    const second = server.request("second");
    await until(() => server.gate.load().queued === 1);

    const third = await server.request("third");
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("5");
    expect(server.started()).toBe(1);

    server.finishOne();
    await until(() => server.started() === 2);
    server.finishOne();
    expect(await (await first).text()).toBe("done first");
    expect(await (await second).text()).toBe("done second");
  });

  it("answers 503 to a request that waited past the timeout, and the queue forgets it", async () => {
    const server = await startGatedServer({ maxActive: 1, maxQueued: 10, queueTimeoutMs: 50 });
    const first = server.request("first");
    await until(() => server.started() === 1);

    const waited = await server.request("waited");
    expect(waited.status).toBe(503);
    expect(server.gate.load()).toEqual({ active: 1, queued: 0 });

    server.finishOne();
    expect((await first).status).toBe(200);
    await until(() => server.gate.load().active === 0);
    const later = server.request("later");
    await until(() => server.started() === 2);
    server.finishOne();
    expect(await (await later).text()).toBe("done later");
  });

  it("gives the place of a client that went away while waiting to the next one", async () => {
    const server = await startGatedServer({ maxActive: 1, maxQueued: 10, queueTimeoutMs: 60_000 });
    const first = server.request("first");
    await until(() => server.started() === 1);
    const leaving = new AbortController();
    const gone = server.request("gone", { signal: leaving.signal }).catch((error: unknown) => error);
    await until(() => server.gate.load().queued === 1);
    leaving.abort();
    await gone;
    await until(() => server.gate.load().queued === 0);

    const next = server.request("next");
    await until(() => server.gate.load().queued === 1);
    server.finishOne();
    await until(() => server.started() === 2);
    server.finishOne();
    expect(await (await first).text()).toBe("done first");
    expect(await (await next).text()).toBe("done next");
  });

  it("frees the place of a request whose client went away while it was worked on", async () => {
    const server = await startGatedServer({ maxActive: 1, maxQueued: 10, queueTimeoutMs: 60_000 });
    const leaving = new AbortController();
    const gone = server.request("gone", { signal: leaving.signal }).catch((error: unknown) => error);
    await until(() => server.started() === 1);
    leaving.abort();
    await gone;
    await until(() => server.gate.load().active === 0);

    const next = server.request("next");
    await until(() => server.started() === 2);
    server.finishOne(); // the abandoned request's handler answers into a closed socket
    server.finishOne();
    expect(await (await next).text()).toBe("done next");
  });
});
