import type { NextFunction, Request, Response } from "express";

export type AdmissionLimits = {
  /** Requests the app works on at once. */
  maxActive: number;
  /** Requests that may wait, in order of arrival, for one of those places. */
  maxQueued: number;
  /** The longest a request waits before it is turned away. */
  queueTimeoutMs: number;
};

type Waiter = { start(): void; timer?: NodeJS.Timeout };

/**
 * Bounds the work in front of the database pool. Under overload a request
 * waits at most `queueTimeoutMs` behind at most `maxQueued` others, or is
 * answered by `refuse` (a 503) at once: the wait, and the memory the waiting
 * requests hold, stay bounded however many clients arrive.
 */
export function createAdmissionGate(limits: AdmissionLimits, refuse: (response: Response) => void) {
  let active = 0;
  // A Set keeps arrival order and lets a request that gave up leave from the middle.
  const queue = new Set<Waiter>();

  function startWaiting() {
    while (active < limits.maxActive && queue.size > 0) {
      const [first] = queue;
      queue.delete(first!);
      clearTimeout(first!.timer);
      first!.start();
    }
  }

  function admit(_request: Request, response: Response, next: NextFunction) {
    let state: "waiting" | "active" | "finished" = "waiting";
    const waiter: Waiter = {
      start() {
        state = "active";
        active++;
        next();
      },
    };
    // "finish" comes once the answer is handed to the network, "close" also when
    // the client goes away first; the place is given back at the first of them.
    const leave = () => {
      if (state === "active") {
        active--;
        startWaiting();
      } else if (state === "waiting") {
        clearTimeout(waiter.timer);
        queue.delete(waiter);
      }
      state = "finished";
    };
    response.once("finish", leave);
    response.once("close", leave);

    if (active < limits.maxActive && queue.size === 0) return waiter.start();
    if (queue.size >= limits.maxQueued) {
      state = "finished";
      return refuse(response);
    }
    waiter.timer = setTimeout(() => {
      queue.delete(waiter);
      state = "finished";
      refuse(response);
    }, limits.queueTimeoutMs);
    queue.add(waiter);
  }

  return {
    admit,
    /** What the gate holds now: for the logs and the tests. */
    load: () => ({ active, queued: queue.size }),
  };
}
