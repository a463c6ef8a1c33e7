import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { z } from "zod";
import {
  CheckboxField,
  FormError,
  Notice,
  SelectField,
  TextAreaField,
  TextField,
  useFormKey,
} from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireUser } from "~/lib/auth.server";
import {
  EMAIL_FREQUENCIES,
  EMAIL_FREQUENCY_LABELS,
  EMAIL_TOPIC_LABELS,
  EMAIL_TOPICS,
  type EmailTopic,
} from "~/lib/email-topics";
import { invariantResponse } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { hashPassword, verifyPassword } from "~/lib/password.server";
import { withPasswordPolicy } from "~/lib/password-policy.server";
import { hasRole } from "~/lib/permissions";
import { currentSessionIdHash, endSession } from "~/lib/session.server";
import { PASSWORD_MIN } from "~/lib/limits";
import {
  consumeRateLimit,
  refundRateLimit,
  retryAfterSeconds,
  tooManyRequestsMessage,
} from "~/lib/rate-limit.server";
import { privatePageMeta } from "~/lib/seo";
import { parseForm, passwordChangeSchema, profileSchema } from "~/lib/validation";
import { getEmailPreferences, saveEmailPreferences } from "~/models/email-preferences.server";
import { deleteMemberAccount } from "~/models/member-data.server";
import {
  changePasswordHash,
  findCredentialsById,
  getAccountSettings,
  updateProfile,
} from "~/models/users.server";

export const meta: MetaFunction = () => privatePageMeta("Settings");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const account = await getAccountSettings(user.id);
  invariantResponse(account, "Your account could not be found.", { status: 404 });
  const saved = new URL(request.url).searchParams.get("saved");
  return {
    account,
    emailPreferences: await getEmailPreferences(user.id),
    saved: saved === "profile" || saved === "password" || saved === "notifications" ? saved : null,
    isModerator: hasRole(user, "moderator"),
    isAdmin: hasRole(user, "admin"),
  };
}

const intentSchema = z.enum(["profile", "password", "notifications", "delete-account"]);

const accountDeletionSchema = z.object({
  password: z
    .string({ error: "Enter your password to delete your account." })
    .min(1, "Enter your password to delete your account."),
  content: z.enum(["keep", "remove"], { error: "Choose what happens to your posts and replies." }),
});

const frequencyField = z.enum(EMAIL_FREQUENCIES, {
  error: `Choose one of: ${EMAIL_FREQUENCIES.map((frequency) => EMAIL_FREQUENCY_LABELS[frequency]).join(", ")}.`,
});
// `satisfies` keeps the form in step with the topics: a new topic does not compile until it has a field.
const emailPreferencesSchema = z.object({
  replies: frequencyField,
  mentions: frequencyField,
  watched: frequencyField,
  accepted: frequencyField,
  helpful: frequencyField,
  moderation: frequencyField,
  introductions: frequencyField,
} satisfies Record<EmailTopic, typeof frequencyField>);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  invariantResponse(intent.success, "Unknown action.", { status: 400 });

  if (intent.data === "profile") {
    const parsed = parseForm(profileSchema, formData);
    if (!parsed.ok)
      return data({ intent: intent.data, errors: parsed.errors, values: parsed.values }, { status: 400 });
    await updateProfile(user.id, parsed.data);
    return redirect("/settings?saved=profile");
  }

  if (intent.data === "notifications") {
    const parsed = parseForm(emailPreferencesSchema, formData);
    if (!parsed.ok)
      return data({ intent: intent.data, errors: parsed.errors, values: parsed.values }, { status: 400 });
    await saveEmailPreferences(user.id, parsed.data);
    return redirect("/settings?saved=notifications");
  }

  if (intent.data === "delete-account") {
    const parsed = parseForm(accountDeletionSchema, formData);
    const refuse = (
      errors: Record<string, string[] | undefined>,
      formError: string | null = null,
      init: ResponseInit = { status: 400 },
    ) =>
      data(
        {
          intent: intent.data,
          errors,
          formError,
          values: { content: String(formData.get("content") ?? "") },
        },
        init,
      );
    if (!parsed.ok) return refuse(parsed.errors);
    const check = await checkOwnPassword(user.id, parsed.data.password);
    if (check.limited) return refuse({ password: [check.limited.message] }, null, check.limited.init);
    if (!check.ok) return refuse({ password: ["That is not your password."] });
    const result = await deleteMemberAccount({
      userId: user.id,
      removeContent: parsed.data.content === "remove",
    });
    if (!result.deleted && result.reason === "last-admin") {
      return refuse(
        {},
        "You are the forum's only admin. Make another member an admin at /mod/users before you delete your account.",
      );
    }
    return redirect(`/account-deleted?content=${parsed.data.content === "remove" ? "removed" : "kept"}`, {
      headers: { "Set-Cookie": await endSession(request) },
    });
  }

  const parsed = parseForm(withPasswordPolicy(passwordChangeSchema, "newPassword"), formData);
  if (!parsed.ok)
    return data({ intent: intent.data, errors: parsed.errors, values: parsed.values }, { status: 400 });
  const check = await checkOwnPassword(user.id, parsed.data.currentPassword);
  if (!check.ok) {
    return data(
      {
        intent: intent.data,
        errors: { currentPassword: [check.limited?.message ?? "That is not your current password."] },
        values: {},
      },
      check.limited?.init ?? { status: 400 },
    );
  }
  // A changed password ends every other session: a stolen cookie stops working.
  await changePasswordHash(
    user.id,
    await hashPassword(parsed.data.newPassword),
    await currentSessionIdHash(request),
  );
  return redirect("/settings?saved=password");
}

/**
 * Checks the member's own password, counting the check first, so that a
 * stolen session cannot guess it; a right password hands its count back.
 * Past the limit, `limited` holds the 429 answer's message and headers.
 */
async function checkOwnPassword(userId: number, password: string) {
  const subject = String(userId);
  const { allowed, bucket } = await consumeRateLimit("passwordChecksPerMember", subject);
  if (!allowed) {
    return {
      ok: false,
      limited: {
        message: tooManyRequestsMessage(bucket, "Too many wrong passwords."),
        init: { status: 429, headers: { "Retry-After": String(retryAfterSeconds(bucket)) } },
      },
    };
  }
  const credentials = await findCredentialsById(userId);
  const ok = Boolean(credentials && (await verifyPassword(credentials.passwordHash, password)));
  if (ok) await refundRateLimit("passwordChecksPerMember", subject);
  return { ok, limited: null };
}

const libraryTypeOptions = Object.entries(libraryTypeLabels).map(([value, label]) => ({ value, label }));
const frequencyOptions = EMAIL_FREQUENCIES.map((value) => ({ value, label: EMAIL_FREQUENCY_LABELS[value] }));

export default function Settings() {
  const { account, emailPreferences, saved, isModerator, isAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formKey = useFormKey(actionData);
  const submitting = useNavigation().state === "submitting";
  const profileErrors: Record<string, string[] | undefined> =
    actionData?.intent === "profile" ? actionData.errors : {};
  const passwordErrors: Record<string, string[] | undefined> =
    actionData?.intent === "password" ? actionData.errors : {};
  const values: Record<string, string | undefined> =
    actionData?.intent === "profile" ? actionData.values : {};
  const notificationErrors: Record<string, string[] | undefined> =
    actionData?.intent === "notifications" ? actionData.errors : {};
  const notificationValues: Record<string, string | undefined> =
    actionData?.intent === "notifications" ? actionData.values : {};
  const deletion = actionData?.intent === "delete-account" ? actionData : undefined;
  const deletionErrors: Record<string, string[] | undefined> = deletion?.errors ?? {};
  const removeChosen = deletion?.values.content === "remove";

  return (
    <div className="auth-form">
      <h1>Settings</h1>
      <p>
        Signed in as <Link to={`/u/${account.username}`}>@{account.username}</Link> with {account.email}. Your
        e-mail address is never shown to other members.
      </p>

      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        {saved === "profile" ? <Notice>Your profile has been saved.</Notice> : null}
        <Form method="post" noValidate key={formKey}>
          <input type="hidden" name="intent" value="profile" />
          <TextField
            label="Display name"
            name="displayName"
            autoComplete="name"
            defaultValue={values.displayName ?? account.displayName}
            errors={profileErrors.displayName}
          />
          <SelectField
            label="Library type"
            name="libraryType"
            options={libraryTypeOptions}
            defaultValue={values.libraryType ?? account.libraryType}
            errors={profileErrors.libraryType}
          />
          <TextField
            label="Community"
            name="community"
            defaultValue={values.community ?? account.community ?? ""}
            errors={profileErrors.community}
            hint="Optional: your town or school district."
          />
          <TextField
            label="Region"
            name="region"
            defaultValue={values.region ?? account.region ?? ""}
            errors={profileErrors.region}
            hint="Optional: your state or region, so librarians nearby can find you."
          />
          <CheckboxField
            label="Open to partnering"
            name="openToPartnering"
            defaultChecked={
              actionData?.intent === "profile" ? values.openToPartnering === "on" : account.openToPartnering
            }
            hint={
              <>
                List me on <Link to="/partners">Find a partner library</Link> for librarians of the other
                library type.
              </>
            }
          />
          <CheckboxField
            label="Let other librarians introduce themselves to me"
            name="acceptsIntroductions"
            defaultChecked={
              actionData?.intent === "profile"
                ? values.acceptsIntroductions === "on"
                : account.acceptsIntroductions
            }
            hint="They send a short message through Crosswalk; your e-mail address is never shown."
          />
          <TextAreaField
            label="Bio"
            name="bio"
            rows={5}
            defaultValue={values.bio ?? account.bio}
            errors={profileErrors.bio}
            hint="Optional: a few lines about you and your library."
          />
          <button type="submit" disabled={submitting}>
            Save profile
          </button>
        </Form>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        {saved === "password" ? (
          <Notice>Your password has been changed. Your other devices have been logged out.</Notice>
        ) : null}
        <Form method="post" noValidate key={formKey}>
          <input type="hidden" name="intent" value="password" />
          <TextField
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            errors={passwordErrors.currentPassword}
          />
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            errors={passwordErrors.newPassword}
            hint={`At least ${PASSWORD_MIN} characters. Changing it logs out your other devices.`}
          />
          <button type="submit" disabled={submitting}>
            Change password
          </button>
        </Form>
      </section>

      <section aria-labelledby="notification-email-heading">
        <h2 id="notification-email-heading">Notification e-mail</h2>
        {saved === "notifications" ? <Notice>Notification settings saved.</Notice> : null}
        <p>
          Everything shows in <Link to="/notifications">Notifications</Link>. Choose how often each kind also
          comes to {account.email}.
        </p>
        <Form method="post" noValidate key={formKey}>
          <input type="hidden" name="intent" value="notifications" />
          {EMAIL_TOPICS.map((topic) => (
            <SelectField
              key={topic}
              id={`email-${topic}`}
              label={EMAIL_TOPIC_LABELS[topic]}
              name={topic}
              options={frequencyOptions}
              defaultValue={notificationValues[topic] ?? emailPreferences[topic]}
              errors={notificationErrors[topic]}
            />
          ))}
          <button type="submit" disabled={submitting}>
            Save notification settings
          </button>
        </Form>
      </section>

      <section aria-labelledby="your-data-heading">
        <h2 id="your-data-heading">Your data</h2>
        <p>
          Your profile, your settings and everything you have written here, with earlier versions, as one JSON
          file.
        </p>
        <p>
          <a href="/settings/export" download>
            Download my data
          </a>
        </p>
      </section>

      <section className="danger-zone" aria-labelledby="delete-account-heading">
        <h2 id="delete-account-heading">Delete account</h2>
        <p>
          This ends every session, and removes your e-mail address, password, profile, settings, watched
          threads, notifications and introductions. It cannot be undone.
        </p>
        <FormError message={deletion && "formError" in deletion ? deletion.formError : null} />
        <Form method="post" noValidate key={formKey}>
          <input type="hidden" name="intent" value="delete-account" />
          <fieldset
            className="field"
            aria-describedby={deletionErrors.content ? "delete-content-error" : undefined}
          >
            <legend>Your posts and replies</legend>
            <div className="field field--checkbox">
              <input
                id="delete-content-keep"
                type="radio"
                name="content"
                value="keep"
                defaultChecked={!removeChosen}
              />
              <label htmlFor="delete-content-keep">Keep them, shown as by “Deleted member”</label>
            </div>
            <div className="field field--checkbox">
              <input
                id="delete-content-remove"
                type="radio"
                name="content"
                value="remove"
                defaultChecked={removeChosen}
              />
              <label htmlFor="delete-content-remove">Remove them from the forum</label>
            </div>
            {deletionErrors.content ? (
              <p id="delete-content-error" className="field__error">
                {deletionErrors.content.join(" ")}
              </p>
            ) : null}
          </fieldset>
          <TextField
            id="field-deleteAccountPassword"
            label="Your password"
            name="password"
            type="password"
            autoComplete="current-password"
            errors={deletionErrors.password}
          />
          <button type="submit" className="button--danger" disabled={submitting}>
            Delete my account
          </button>
        </Form>
      </section>

      {isModerator ? (
        <section aria-labelledby="admin-heading">
          <h2 id="admin-heading">{isAdmin ? "Administration" : "Moderation"}</h2>
          <ul>
            <li>
              <Link to="/mod">Moderation queue</Link>: posts and comments waiting for approval.
            </li>
            <li>
              <Link to="/mod/log">Moderation log</Link>: every moderation action, who took it and why.
            </li>
            <li>
              <Link to="/mod/users">Members</Link>: suspend, ban or restore a member
              {isAdmin ? ", and change roles" : ""}.
            </li>
            {isAdmin ? (
              <>
                <li>
                  <Link to="/admin/settings">Site settings</Link>: the moderation policy.
                </li>
                <li>
                  <Link to="/admin/outbox">Outbox</Link>: the e-mail the forum has sent.
                </li>
              </>
            ) : null}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
