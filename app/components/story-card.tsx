import { GRADE_BAND_LABELS } from "~/lib/grade-bands";
import {
  describeOutcome,
  formatCount,
  PROGRAM_TYPE_LABELS,
  STORY_PARTNER_LABELS,
  type StoryCardData,
} from "~/lib/story-fields";
import { AppLink } from "./app-link";

type LinkedStory = { id: number; title: string; slug: string };
type FollowUp = LinkedStory & { authorDisplayName: string; authorCommunity: string | null };

type Props = {
  /** Null for a story written without details: on its thread only the chain shows. */
  story: StoryCardData | null;
  /** On the thread: the whole card, with "What I would change" and the links of the chain. */
  thread?: {
    postId: number;
    wouldChange: string;
    triedFrom: LinkedStory | null;
    triedBy: FollowUp[];
    /** A signed-in member sees "I tried this" on a published story. */
    canTry: boolean;
  };
};

/**
 * A Success story's structured part as a card: on its thread above the body,
 * and compact (no chain, no "what I would change") in lists.
 */
export function StoryCard({ story, thread }: Props) {
  if (!story) {
    if (!thread || (!thread.triedFrom && thread.triedBy.length === 0 && !thread.canTry)) return null;
    return (
      <section className="story-card story-card--chain" aria-label="Follow-ups">
        <FollowUpOf triedFrom={thread.triedFrom} />
        <TriedBy postId={thread.postId} triedBy={thread.triedBy} canTry={thread.canTry} />
      </section>
    );
  }
  const outcome = describeOutcome(story);
  const summary = (
    <>
      {outcome ? <p className="story-card__outcome">{outcome}</p> : null}
      <dl className="story-card__facts">
        <div>
          <dt>Program</dt>
          <dd>{PROGRAM_TYPE_LABELS[story.programType]}</dd>
        </div>
        {story.partners.length > 0 ? (
          <div>
            <dt>Partners</dt>
            <dd>{story.partners.map((partner) => STORY_PARTNER_LABELS[partner]).join(", ")}</dd>
          </div>
        ) : null}
        {story.gradeBands.length > 0 ? (
          <div>
            <dt>Grades</dt>
            <dd>{story.gradeBands.map((band) => GRADE_BAND_LABELS[band]).join(", ")}</dd>
          </div>
        ) : null}
        {story.reach !== null ? (
          <div>
            <dt>Reach</dt>
            <dd>
              {formatCount(story.reach)} {story.reach === 1 ? "student or family" : "students or families"}
            </dd>
          </div>
        ) : null}
        {story.staffHours !== null ? (
          <div>
            <dt>Staff hours</dt>
            <dd>{formatCount(story.staffHours)}</dd>
          </div>
        ) : null}
      </dl>
    </>
  );
  // In a list the card is part of the post's summary, not a landmark of its own.
  if (!thread) return <div className="story-card story-card--compact">{summary}</div>;
  return (
    <section className="story-card" aria-labelledby="story-card-heading">
      <h2 id="story-card-heading" className="story-card__heading">
        Success story details
      </h2>
      <FollowUpOf triedFrom={thread.triedFrom} />
      {summary}
      {thread.wouldChange ? (
        <div className="story-card__change">
          <h3>What I would change</h3>
          <p>{thread.wouldChange}</p>
        </div>
      ) : null}
      <TriedBy postId={thread.postId} triedBy={thread.triedBy} canTry={thread.canTry} />
    </section>
  );
}

function FollowUpOf({ triedFrom }: { triedFrom: LinkedStory | null }) {
  if (!triedFrom) return null;
  return (
    <p className="story-card__chain">
      Follow-up to <AppLink to={`/posts/${triedFrom.id}/${triedFrom.slug}`}>{triedFrom.title}</AppLink>
    </p>
  );
}

function TriedBy({ postId, triedBy, canTry }: { postId: number; triedBy: FollowUp[]; canTry: boolean }) {
  return (
    <div className="story-card__tried">
      {triedBy.length > 0 ? (
        <>
          <p>
            Tried by {triedBy.length} {triedBy.length === 1 ? "library" : "libraries"}:
          </p>
          <ul>
            {triedBy.map((followUp) => (
              <li key={followUp.id}>
                <AppLink to={`/posts/${followUp.id}/${followUp.slug}`}>{followUp.title}</AppLink>
                <span className="muted">
                  {" "}
                  · {followUp.authorDisplayName}
                  {followUp.authorCommunity ? `, ${followUp.authorCommunity}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canTry ? (
        <p>
          <AppLink to={`/posts/new?triedFrom=${postId}`} className="button button--secondary">
            I tried this
          </AppLink>{" "}
          <span className="muted">Tell how it went at your library, linked to this story.</span>
        </p>
      ) : null}
    </div>
  );
}
