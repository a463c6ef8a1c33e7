import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { SelectField, TextField, useFormKey } from "~/components/form";
import { requireAnonymous } from "~/lib/auth.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { hashPassword } from "~/lib/password.server";
import { withPasswordPolicy } from "~/lib/password-policy.server";
import { consumeRateLimit, refundRateLimit, tooManyRequests } from "~/lib/rate-limit.server";
import { safeRedirect } from "~/lib/redirect";
import { clientIpOf, readForm } from "~/lib/request.server";
import { redirectWithNewSession } from "~/lib/session.server";
import { PASSWORD_MIN } from "~/lib/limits";
import { privatePageMeta } from "~/lib/seo";
import { joinSchema, parseForm, withoutPasswords, formValues } from "~/lib/validation";
import { createMember } from "~/models/users.server";

export const meta: MetaFunction = () => privatePageMeta("Join");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return { redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo")) };
}

const takenMessages = {
  email: "An account with this e-mail address already exists. Log in, or reset your password.",
  username: "That username is taken. Try another.",
};

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const clientIp = clientIpOf(context);
  // Counted up front (atomically); a form refused for bad input or a taken username hands its count back.
  const signups = await consumeRateLimit("signupsPerIp", clientIp);
  if (!signups.allowed) {
    throw tooManyRequests(signups.bucket, "Too many accounts have been created from your network.");
  }

  const formData = await readForm(request);
  const parsed = parseForm(withPasswordPolicy(joinSchema, "password"), formData);
  if (!parsed.ok) {
    await refundRateLimit("signupsPerIp", clientIp);
    return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  }

  const { password, ...profile } = parsed.data;
  const created = await createMember({ ...profile, passwordHash: await hashPassword(password) });
  if (!created.ok) {
    // "This address already has an account" tells whoever asks that it does:
    // such answers keep their count, so one network learns at most 10 an hour.
    if (created.taken === "username") await refundRateLimit("signupsPerIp", clientIp);
    return data(
      {
        errors: { [created.taken]: [takenMessages[created.taken]] },
        values: withoutPasswords(formValues(formData)),
      },
      { status: 400 },
    );
  }
  return redirectWithNewSession(request, created.user.id, clientIp, safeRedirect(formData.get("redirectTo")));
}

const libraryTypeOptions = Object.entries(libraryTypeLabels).map(([value, label]) => ({ value, label }));

export default function Join() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formKey = useFormKey(actionData);
  const submitting = useNavigation().state === "submitting";
  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {};
  const values: Record<string, string | undefined> = actionData?.values ?? {};

  return (
    <div className="auth-form">
      <h1>Join Crosswalk</h1>
      <p>Meet school and public librarians who work with the same children and the same community.</p>
      <Form method="post" noValidate key={formKey}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="name"
          defaultValue={values.displayName}
          errors={errors.displayName}
          hint="Your name as other librarians will see it."
        />
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={values.username}
          errors={errors.username}
          hint="3–30 lowercase letters, digits, _ or -. Your profile lives at /u/username."
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          defaultValue={values.email}
          errors={errors.email}
          hint="Never shown to anyone."
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          errors={errors.password}
          hint={`At least ${PASSWORD_MIN} characters. A phrase is easiest to remember.`}
        />
        <SelectField
          label="Library type"
          name="libraryType"
          options={libraryTypeOptions}
          placeholder="Choose…"
          defaultValue={values.libraryType ?? ""}
          errors={errors.libraryType}
        />
        <TextField
          label="Community"
          name="community"
          autoComplete="address-level2"
          defaultValue={values.community}
          errors={errors.community}
          hint="Optional: your town or school district."
        />
        <button type="submit" disabled={submitting}>
          Create account
        </button>
      </Form>
      <p className="auth-form__links">
        Already a member? <Link to={`/login?${new URLSearchParams({ redirectTo })}`}>Log in</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
