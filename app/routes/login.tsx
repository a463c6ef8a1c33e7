import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, Notice, TextField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { authenticator, requireAnonymous } from "~/lib/auth.server";
import { consumeRateLimit, refundRateLimit, resetRateLimit, tooManyRequests } from "~/lib/rate-limit.server";
import { safeRedirect } from "~/lib/redirect";
import { clientIpOf, readForm } from "~/lib/request.server";
import { privatePageMeta } from "~/lib/seo";
import { redirectWithNewSession } from "~/lib/session.server";
import { formatAbsolute } from "~/lib/time";
import { loginSchema, parseForm } from "~/lib/validation";

export const meta: MetaFunction = () => privatePageMeta("Log in");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const url = new URL(request.url);
  return {
    redirectTo: safeRedirect(url.searchParams.get("redirectTo")),
    passwordReset: url.searchParams.get("reset") === "1",
  };
}

const WRONG_CREDENTIALS =
  "That e-mail address and password don't match an account. Check both and try again.";
const TOO_MANY_FAILURES = "Too many failed log-ins.";

/** "This account is suspended until 12 Nov 2026, 00:00 UTC: Repeated spam." and where to turn. */
function barredMessage(standing: {
  status: "suspended" | "banned";
  statusReason: string | null;
  suspendedUntil: Date | null;
}) {
  const until = standing.suspendedUntil ? ` until ${formatAbsolute(standing.suspendedUntil)}` : "";
  const head = standing.status === "banned" ? "This account is banned" : `This account is suspended${until}`;
  const reason = standing.statusReason?.trim();
  const sentence = reason ? `${head}: ${/[.!?]$/.test(reason) ? reason : `${reason}.`}` : `${head}.`;
  return `${sentence} Contact the moderators if you think this is a mistake.`;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const clientIp = clientIpOf(context);
  const form = await readForm(request);
  const parsed = parseForm(loginSchema, form);
  if (!parsed.ok)
    return data({ errors: parsed.errors, values: parsed.values, formError: null }, { status: 400 });
  const { email } = parsed.data;
  const redirectTo = safeRedirect(parsed.data.redirectTo);

  // Every attempt is counted before the password is checked, so a burst of
  // guesses cannot outrun the limit; a successful log-in hands its count back.
  const limits = [
    ["failedLoginsPerAccount", email],
    ["failedLoginsPerIp", clientIp],
  ] as const;
  for (const [limit, subject] of limits) {
    const { allowed, bucket } = await consumeRateLimit(limit, subject);
    if (!allowed) throw tooManyRequests(bucket, TOO_MANY_FAILURES);
  }

  // The strategy reads the form itself: it is handed the cleaned one, so it
  // checks the password the member's sign-up stored (NUL dropped there too).
  const outcome = await authenticator.authenticate(
    "form",
    new Request(request.url, { method: "POST", body: form }),
  );
  if (!outcome.ok && outcome.reason === "invalid-credentials") {
    return data({ errors: {}, values: { email, redirectTo }, formError: WRONG_CREDENTIALS }, { status: 400 });
  }
  await resetRateLimit("failedLoginsPerAccount", email);
  await refundRateLimit("failedLoginsPerIp", clientIp);
  if (!outcome.ok) {
    return data(
      {
        errors: {},
        values: { email, redirectTo },
        formError: barredMessage(outcome),
      },
      { status: 403 },
    );
  }
  return redirectWithNewSession(request, outcome.userId, clientIp, redirectTo);
}

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formKey = useFormKey(actionData);
  const submitting = useNavigation().state === "submitting";
  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {};
  const redirectTo = values.redirectTo ?? loaderData.redirectTo;

  return (
    <div className="auth-form">
      <h1>Log in</h1>
      {loaderData.passwordReset ? (
        <Notice>Your password has been changed. Log in with your new password.</Notice>
      ) : null}
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate key={formKey}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={values.email}
          errors={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          errors={errors.password}
        />
        <button type="submit" disabled={submitting}>
          Log in
        </button>
      </Form>
      <p className="auth-form__links">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to={`/join?${new URLSearchParams({ redirectTo })}`}>Join Crosswalk</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
