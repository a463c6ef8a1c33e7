import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/lib/request.server";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Notice, TextField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { readEnvironment } from "~/lib/env.server";
import { sendMail } from "~/lib/mail.server";
import { consumeRateLimit } from "~/lib/rate-limit.server";
import { hashToken, randomToken } from "~/lib/secrets.server";
import { RESET_TOKEN_MINUTES } from "~/lib/limits";
import { privatePageMeta } from "~/lib/seo";
import { forgotPasswordSchema, parseForm } from "~/lib/validation";
import { insertPasswordResetToken } from "~/models/password-resets.server";
import { findCredentialsByEmail } from "~/models/users.server";

export const meta: MetaFunction = () => privatePageMeta("Forgot your password?");

/**
 * Answers the same whether or not the address has an account, and whether or
 * not the hourly limit of e-mails to it was reached, so the page reveals nothing.
 */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(forgotPasswordSchema, await readForm(request));
  if (!parsed.ok)
    return data({ errors: parsed.errors, values: parsed.values, sentTo: null }, { status: 400 });
  const { email } = parsed.data;

  const { allowed } = await consumeRateLimit("passwordResetsPerEmail", email);
  const account = allowed ? await findCredentialsByEmail(email) : undefined;
  if (account && account.status === "active") {
    const token = randomToken();
    await insertPasswordResetToken(account.id, hashToken(token));
    const link = `${readEnvironment().publicUrl}/reset-password?${new URLSearchParams({ token })}`;
    await sendMail({
      to: email,
      subject: "Reset your Crosswalk password",
      text: [
        "Someone (hopefully you) asked to reset the password of your Crosswalk account.",
        "",
        `Choose a new password here: ${link}`,
        "",
        `The link works once and expires in ${RESET_TOKEN_MINUTES} minutes. If you didn't ask, ignore this e-mail: your password stays as it is.`,
      ].join("\n"),
    });
  }
  return { errors: {}, values: { email }, sentTo: email };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const formKey = useFormKey(actionData);
  const submitting = useNavigation().state === "submitting";
  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {};

  return (
    <div className="auth-form">
      <h1>Forgot your password?</h1>
      {actionData?.sentTo ? (
        <Notice>
          If an account exists for {actionData.sentTo}, we have sent it a link to choose a new password. The
          link works once, for {RESET_TOKEN_MINUTES} minutes.
        </Notice>
      ) : (
        <p>Enter the e-mail address of your account and we will send you a link to choose a new password.</p>
      )}
      <Form method="post" noValidate key={formKey}>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={actionData?.values.email}
          errors={errors.email}
        />
        <button type="submit" disabled={submitting}>
          Send reset link
        </button>
      </Form>
      <p className="auth-form__links">
        <Link to="/login">Back to log in</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
