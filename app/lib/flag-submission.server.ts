import { data } from "@remix-run/node";
import { readForm } from "~/lib/request.server";
import type { FlagFormAnswer } from "~/components/flag-form";
import { flagContent, flagFormSchema, type FlagResult } from "~/models/flags.server";
import {
  consumeRateLimit,
  refundRateLimit,
  retryAfterSeconds,
  tooManyRequestsMessage,
} from "./rate-limit.server";
import { parseForm } from "./validation";

type Refusal = Exclude<FlagResult, { ok: true }>["reason"];

/**
 * The flag pages' shared action: parse the form, count against the daily
 * limit, flag. Answers the refused form (400/429, everything typed kept), or
 * throws the refusal as a Response, or returns the flag's result.
 */
export async function submitFlag(
  request: Request,
  flaggerId: number,
  target: { kind: "post" | "comment"; id: number },
  refusals: Record<Refusal, { status: number; message: string }>,
) {
  const parsed = parseForm(flagFormSchema, await readForm(request));
  if (!parsed.ok) {
    return {
      answer: data<FlagFormAnswer>(
        { errors: parsed.errors, values: parsed.values, formError: null },
        { status: 400 },
      ),
    };
  }
  const rateSubject = String(flaggerId);
  const { allowed, bucket } = await consumeRateLimit("flagsPerMember", rateSubject);
  if (!allowed) {
    return {
      answer: data<FlagFormAnswer>(
        {
          errors: {},
          values: { reason: parsed.data.reason, note: parsed.data.note },
          formError: tooManyRequestsMessage(bucket, "You have sent a lot of flags today."),
        },
        { status: 429, headers: { "Retry-After": String(retryAfterSeconds(bucket)) } },
      ),
    };
  }
  const result = await flagContent({ flaggerId, target, reason: parsed.data.reason, note: parsed.data.note });
  if (!result.ok) {
    await refundRateLimit("flagsPerMember", rateSubject);
    const refusal = refusals[result.reason];
    throw new Response(refusal.message, {
      status: refusal.status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return { flagged: result };
}
