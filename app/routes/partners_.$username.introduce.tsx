import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { FormError, TextAreaField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import {
  consumeRateLimit,
  refundRateLimit,
  retryAfterSeconds,
  tooManyRequestsMessage,
} from "~/lib/rate-limit.server";
import { privatePageMeta } from "~/lib/seo";
import {
  formValues,
  INTRODUCTION_MAX,
  introductionSchema,
  parseForm,
  type FieldErrors,
} from "~/lib/validation";
import {
  acceptsIntroductionFrom,
  findIntroductionRecipient,
  sendIntroduction,
} from "~/models/partners.server";

export const meta: MetaFunction = () => privatePageMeta("Introduce yourself");

/** The one answer to a refusal, whatever its cause: the sender learns nothing about a block. */
const NOT_ACCEPTING = "This member is not accepting introductions.";

async function loadRecipient(request: Request, username: string | undefined) {
  const user = await requireUser(request);
  const name = username ?? "";
  invariantResponse(/^[a-z0-9_-]{3,30}$/.test(name), "There is no such member.", { status: 404 });
  const recipient = await findIntroductionRecipient(name);
  invariantResponse(recipient, "There is no such member.", { status: 404 });
  invariantResponse(recipient.id !== user.id, "You can't introduce yourself to yourself.", { status: 400 });
  return { user, recipient };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, recipient } = await loadRecipient(request, params.username);
  return {
    recipient: {
      username: recipient.username,
      displayName: recipient.displayName,
      libraryType: recipient.libraryType,
      community: recipient.community,
      region: recipient.region,
    },
    accepting: await acceptsIntroductionFrom(recipient.id, user.id),
  };
}

type IntroductionAnswer = { errors: FieldErrors; values: Record<string, string>; formError: string | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, recipient } = await loadRecipient(request, params.username);
  const formData = await readForm(request);
  const values = formValues(formData);
  const parsed = parseForm(introductionSchema, formData);
  if (!parsed.ok) {
    return data<IntroductionAnswer>({ errors: parsed.errors, values, formError: null }, { status: 400 });
  }
  if (!(await acceptsIntroductionFrom(recipient.id, user.id))) {
    return data<IntroductionAnswer>({ errors: {}, values, formError: NOT_ACCEPTING }, { status: 403 });
  }
  // Counted only once the message could be sent, so a typo or a refusal costs nothing.
  const subject = String(user.id);
  const { allowed, bucket } = await consumeRateLimit("introductionsPerMember", subject);
  if (!allowed) {
    return data<IntroductionAnswer>(
      {
        errors: {},
        values,
        formError: tooManyRequestsMessage(bucket, "You have sent several introductions today."),
      },
      { status: 429, headers: { "Retry-After": String(retryAfterSeconds(bucket)) } },
    );
  }
  const sent = await sendIntroduction({
    sender: { id: user.id, displayName: user.displayName },
    recipientId: recipient.id,
    message: parsed.data.message,
  });
  if (!sent) {
    // The recipient changed their mind between the check above and the write.
    await refundRateLimit("introductionsPerMember", subject);
    return data<IntroductionAnswer>({ errors: {}, values, formError: NOT_ACCEPTING }, { status: 403 });
  }
  return redirect(`/introductions/${sent.id}?sent=1`);
}

export default function IntroduceYourself() {
  const { recipient, accepting } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as IntroductionAnswer | undefined;
  const formKey = useFormKey(actionData);
  const submitting = useNavigation().state === "submitting";
  const place = [recipient.community, recipient.region].filter(Boolean).join(", ");
  return (
    <div className="composer">
      <h1>Introduce yourself to {recipient.displayName}</h1>
      <p>
        <Link to={`/u/${recipient.username}`}>{recipient.displayName}</Link>:{" "}
        {libraryTypeLabels[recipient.libraryType]}
        {place ? `, ${place}` : ""}.
      </p>
      {accepting ? (
        <>
          <p>
            {recipient.displayName} gets your message on Crosswalk and, if they chose to, by e-mail. Your
            e-mail address is not shared: they answer by introducing themselves back or on the forum.
          </p>
          <Form method="post" noValidate key={formKey}>
            <FormError message={actionData?.formError} />
            <TextAreaField
              label="Message"
              name="message"
              rows={8}
              maxLength={INTRODUCTION_MAX}
              defaultValue={actionData?.values.message ?? ""}
              errors={actionData?.errors.message}
              hint={`Up to ${INTRODUCTION_MAX.toLocaleString("en-US")} characters: who you are, your library, and what you would like to try together.`}
            />
            <button type="submit" disabled={submitting}>
              Send introduction
            </button>
          </Form>
        </>
      ) : (
        <p className="notice" role="status">
          {NOT_ACCEPTING}
        </p>
      )}
      <p>
        <Link to="/partners">Back to Find a partner library</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
