import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { FormError, TextField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { hashPassword } from "~/lib/password.server";
import { withPasswordPolicy } from "~/lib/password-policy.server";
import { hashToken } from "~/lib/secrets.server";
import { PASSWORD_MIN } from "~/lib/limits";
import { privatePageMeta } from "~/lib/seo";
import { parseForm, resetPasswordSchema } from "~/lib/validation";
import { isPasswordResetTokenUsable, resetPasswordWithToken } from "~/models/password-resets.server";

export const meta: MetaFunction = () => privatePageMeta("Choose a new password");

const EXPIRED = "This reset link has expired or has already been used. Ask for a new one.";

function readToken(value: string | null) {
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const token = readToken(new URL(request.url).searchParams.get("token"));
  const usable = token ? await isPasswordResetTokenUsable(hashToken(token)) : false;
  return { token: usable ? token : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = parseForm(withPasswordPolicy(resetPasswordSchema, "password"), await readForm(request));
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null }, { status: 400 });
  const changed = await resetPasswordWithToken(
    hashToken(parsed.data.token),
    await hashPassword(parsed.data.password),
  );
  if (!changed) return data({ errors: {}, formError: EXPIRED }, { status: 400 });
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formKey = useFormKey(actionData);
  const submitting = useNavigation().state === "submitting";
  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {};

  if (!token) {
    return (
      <div className="auth-form">
        <h1>Choose a new password</h1>
        <p>{EXPIRED}</p>
        <p>
          <Link to="/forgot-password">Send me a new link</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="auth-form">
      <h1>Choose a new password</h1>
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate key={formKey}>
        <input type="hidden" name="token" value={token} />
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          errors={errors.password ?? errors.token}
          hint={`At least ${PASSWORD_MIN} characters. Every device logged in to your account will be logged out.`}
        />
        <button type="submit" disabled={submitting}>
          Set new password
        </button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
