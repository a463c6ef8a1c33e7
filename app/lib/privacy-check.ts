// The student-privacy check run before a post or comment is published
// (docs/privacy-check.md). It is a nudge, not a filter: it points at passages
// that could identify a child and lets the author decide. Every pattern here is
// linear in the length of the text, so a 20,000-character body costs little.

export type PrivacyConcernKind = "student-name" | "phone" | "email" | "student-id" | "street-address";

export type PrivacyConcern = {
  kind: PrivacyConcernKind;
  /** The words that raised the concern, as the author typed them. */
  passage: string;
  start: number;
  end: number;
};

/** A short name for each kind, as the composer and the moderation queue show it. */
export const privacyConcernLabels: Record<PrivacyConcernKind, string> = {
  "student-name": "a child's name?",
  phone: "a phone number",
  email: "an e-mail address",
  "student-id": "a student ID number",
  "street-address": "a street address",
};

/** What each kind means for the author, in plain language. */
export const privacyConcernExplanations: Record<PrivacyConcernKind, string> = {
  "student-name":
    "A first and last name next to a word like student, class or grader can identify a child. A first name, an initial or “one of my students” is safer.",
  phone:
    "A personal phone number can lead to a child or their family. A library's or school's public number is fine.",
  email:
    "A personal e-mail address can lead to a child or their family. A library's role address (such as info@ or youth@) is fine.",
  "student-id": "A student, lunch or library card number identifies one child. Leave the number out.",
  "street-address":
    "A home address can lead to a child. A library's or school's public address is fine; a family's is not.",
};

const PASSAGE_MAX = 80;

/** Finds passages that could identify a child, in the order they appear. */
export function findPrivacyConcerns(text: string): PrivacyConcern[] {
  const plain = maskMarkup(text);
  const found = [
    ...findStudentNames(text, maskTitles(plain)),
    ...findPhones(text, plain),
    ...findEmails(text, plain),
    ...findStudentIds(text, plain),
    ...findStreetAddresses(text, plain),
  ].sort((a, b) => a.start - b.start || a.end - b.end);
  const seen = new Set<string>();
  return found.filter((concern) => {
    const key = `${concern.kind}:${concern.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The note a held item carries into the moderation queue: each kind and passage, briefly. */
export function privacyHoldReason(concerns: readonly PrivacyConcern[], maxLength = 500): string {
  const parts = concerns.map((concern) => `${privacyConcernLabels[concern.kind]} “${concern.passage}”`);
  const reason = `Privacy check: ${parts.join("; ")}`;
  return reason.length <= maxLength ? reason : `${reason.slice(0, maxLength - 1).trimEnd()}…`;
}

// Masking keeps every offset: replaced text becomes spaces of the same length,
// so a passage found in the masked text is sliced from the original.
const blank = (match: string) => match.replace(/[^\n]/g, " ");

/** Code (fenced, indented by a fence only, and inline) and link and image URLs, which hold no prose. */
function maskMarkup(text: string): string {
  const lines = text.split("\n");
  let fence: string | null = null;
  const masked = lines.map((line) => {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && opener) {
      fence = opener[1]!.charAt(0).repeat(opener[1]!.length);
      return blank(line);
    }
    if (fence !== null) {
      if (line.trimStart().startsWith(fence)) fence = null;
      return blank(line);
    }
    return line;
  });
  return (
    masked
      .join("\n")
      .replace(/`[^`\n]*`/g, blank)
      // A mailto: link is an e-mail address, so it stays to be checked.
      .replace(/\]\((?!mailto:)[^)\s]*(?:\s+"[^"\n]*")?\)/g, (match) => `]${blank(match.slice(1))}`)
      .replace(/(?<![\w@])(?:https?:\/\/|www\.)[^\s<>)\]]+/g, blank)
  );
}

/** Quoted and italic words are mostly titles ("Because of Winn-Dixie", *Wonder*); names are not looked for in them. */
function maskTitles(text: string): string {
  return text
    .replace(/“[^”\n]*”/g, blank)
    .replace(/"[^"\n]*"/g, blank)
    .replace(/(?<![*\w])\*(?!\*)[^*\n]+\*(?![*\w])/g, blank)
    .replace(/(?<![_\w])_(?!_)[^_\n]+_(?![_\w])/g, blank);
}

type Token = { word: string; lower: string; start: number; end: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}](?:[\p{L}\p{N}'’-]*[\p{L}\p{N}'’])?/gu)) {
    const word = match[0];
    tokens.push({ word, lower: word.toLowerCase(), start: match.index, end: match.index + word.length });
  }
  return tokens;
}

const NAME_SHAPE = /^\p{Lu}\p{Ll}+(?:['’-]?\p{Lu}\p{Ll}+)*(?:['’]s?)?$/u;

const stripPossessive = (lower: string) => lower.replace(/['’]s?$/, "");

/** Words that name a child, or a child's class or grade. */
const CHILD_WORDS = new Set(
  `student students pupil pupils child children childs kid kids kiddo reader readers class classes classroom
  classmate classmates homeroom grade grades grader graders kindergartner kindergartners kindergartener
  kindergarteners kindergarten preschooler preschoolers toddler toddlers teen teens tween tweens teenager
  teenagers son sons daughter daughters boy boys girl girls niece nephew grandson granddaughter youngster
  youngsters sophomore freshman junior senior seventh-grader sixth-grader fifth-grader fourth-grader
  third-grader second-grader first-grader eighth-grader`.split(/\s+/),
);

const isChildWord = (lower: string) => {
  const word = stripPossessive(lower);
  return CHILD_WORDS.has(word) || /-year-old$/.test(word) || /^\d+(?:st|nd|rd|th)-grader$/.test(word);
};

/**
 * Capitalised words that are not given or family names: function words that
 * start sentences, calendar words, and the vocabulary of programs, places
 * and institutions ("Summer Reading", "Lakeside Elementary", "Cedar Falls").
 */
const NOT_NAMES = new Set(
  `a an the this that these those my our your his her their its we i you he she they it me us them
  and or but so yet for nor if then when while after before during since because though although until
  as at by in on of to from with without about into onto over under between among through across
  is are was were be been has have had do does did can could will would should must
  also just even still only once now today tonight yesterday tomorrow yes no not please thanks thank
  hi hello hey dear congrats congratulations welcome update note reminder tip tips question answer
  what who whom whose how why where which there here every each both all any some many most more much
  few several another other one two three four five six seven eight nine ten first second third last next
  new old big little great good best favorite favourite
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july
  august september october november december spring summer fall autumn winter
  library libraries public school schools elementary middle high academy charter district county city
  town state regional system branch branches university college institute department office center centre
  museum park hall room gym cafeteria auditorium lab lounge corner zone board council committee team club
  clubs program programs programme night day week month year challenge award awards medal honor prize
  fair festival party hour time story stories storytime craft crafts camp hunt bingo kit kits guide
  toolkit series collection resources contest showcase spotlight read reading readers book books list lists
  ideas idea plan plans project projects unit units lesson lessons assembly visit visits tour tours
  workshop workshops session sessions meeting conference summit webinar newsletter report survey
  battle quest adventure journey friends teen teens youth family families community kids children
  student students grade class advisory services service literacy writing writers poetry math science
  history art music english spanish french ela stem steam pta parent parents teacher teachers
  street avenue road lane boulevard drive court way place
  falls ridge heights springs valley hills hill lake lakes river rivers creek point harbor bay grove
  beach village woods meadows crossing mount north south east west northern southern eastern western
  central upper lower saint st fort port new`.split(/\s+/),
);

/** A name run that contains one of these is an institution or a place, not a person. */
const INSTITUTION_WORDS = new Set(
  `library libraries public school schools elementary middle high academy district county city town
  university college institute department office center centre museum park hall branch board council
  committee club program award medal prize fair festival falls ridge heights springs valley hills lake
  river creek harbor bay grove beach village woods meadows street avenue road lane boulevard drive`.split(
    /\s+/,
  ),
);

/** An adult's title or role just before a name: Ms. Rivera, author Kate DiCamillo, by Alan Gratz. */
const ADULT_BEFORE = new Set(
  `mr mrs ms miss mx dr coach principal professor prof officer judge mayor senator rep superintendent
  sister father pastor rabbi captain author authors illustrator illustrators illustrated poet novelist
  librarian librarians teacher teachers colleague coworker director counselor volunteer storyteller
  speaker presenter guest by read reading loved love loves enjoyed enjoy enjoys adore adored devoured
  discovered recommend recommends recommended featuring starring written`.split(/\s+/),
);

/** Words just after a name that show it belongs to an author: "Jason Reynolds books", "Mo Willems wrote". */
const AUTHOR_AFTER = new Set(
  "book books novel novels series titles title picture wrote writes illustrated visited".split(" "),
);

/** Authors children's librarians mention most, whose names sit next to "students" all the time. */
const KNOWN_AUTHORS = new Set(
  `kate dicamillo|jason reynolds|mo willems|dav pilkey|raina telgemeier|jacqueline woodson|rick riordan|
  judy blume|beverly cleary|roald dahl|jeff kinney|kwame alexander|alan gratz|jerry pinkney|eric carle|
  maurice sendak|ezra jack|gordon korman|katherine applegate|angie thomas|jerry craft|kelly yang|
  jon klassen|christian robinson|dan santat|grace lin|meg medina|erin entrada|brian selznick|
  lois lowry|shel silverstein|chris van|kevin henkes|cynthia rylant|gary paulsen|sharon draper|
  neal shusterman|jennifer holm|victoria jamieson|ngozi ukazu|tui sutherland|ann martin|
  mary pope|pam munoz|yuyi morales|duncan tonatiuh|matt de|vashti harrison|oge mora`.split(/\s*\|\s*/),
);

const TITLE_ABBREVIATIONS = new Set(["mr", "mrs", "ms", "mx", "dr", "st", "prof", "jr", "sr"]);

/** Where one token's sentence ends before the next: a blank line, or . ! ? after a word that is no title. */
function separatesSentences(text: string, previous: Token, next: Token): boolean {
  const between = text.slice(previous.end, next.start);
  if (/\n\s*\n/.test(between)) return true;
  if (/[!?]/.test(between)) return true;
  return between.includes(".") && !TITLE_ABBREVIATIONS.has(previous.lower);
}

const NEAR = 6;

function findStudentNames(original: string, masked: string): PrivacyConcern[] {
  const tokens = tokenize(masked);
  const concerns: PrivacyConcern[] = [];
  let index = 0;
  while (index < tokens.length) {
    // A run: capitalised words separated by single spaces only ("Maya Lopez", not "Maya, Lopez").
    let runEnd = index;
    while (
      runEnd + 1 < tokens.length &&
      NAME_SHAPE.test(tokens[runEnd]!.word) &&
      NAME_SHAPE.test(tokens[runEnd + 1]!.word) &&
      /^[ \t]$/.test(masked.slice(tokens[runEnd]!.end, tokens[runEnd + 1]!.start)) &&
      !/['’]s?$/.test(tokens[runEnd]!.word)
    ) {
      runEnd += 1;
    }
    const name = runEnd > index ? nameInRun(tokens, index, runEnd) : null;
    if (name) {
      const concern = studentNameConcern(original, masked, tokens, name.first, name.last);
      if (concern) concerns.push(concern);
    }
    index = runEnd + 1;
  }
  return concerns;
}

/** The person's name inside a run of capitalised words, or null for a place, a program or a title. */
function nameInRun(tokens: Token[], from: number, to: number): { first: number; last: number } | null {
  const words = tokens.slice(from, to + 1).map((token) => stripPossessive(token.lower));
  if (words.some((word) => INSTITUTION_WORDS.has(word))) return null;
  let first = from;
  // Leading words that are no name ("Congratulations", "Kindergartner") drop off; a title ("Principal") ends it.
  while (first <= to) {
    const word = stripPossessive(tokens[first]!.lower);
    if (ADULT_BEFORE.has(word)) return null;
    if (!NOT_NAMES.has(word) && !isChildWord(word)) break;
    first += 1;
  }
  const rest = tokens.slice(first, to + 1);
  // Two or three name words; four or more capitalised words in a row are a title.
  if (rest.length < 2 || rest.length > 3) return null;
  if (rest.some((token) => NOT_NAMES.has(stripPossessive(token.lower)) || isChildWord(token.lower))) {
    return null;
  }
  return { first, last: to };
}

function studentNameConcern(
  original: string,
  masked: string,
  tokens: Token[],
  first: number,
  last: number,
): PrivacyConcern | null {
  const firstToken = tokens[first]!;
  const lastToken = tokens[last]!;
  const fullName = `${firstToken.lower} ${stripPossessive(tokens[first + 1]!.lower)}`;
  if (KNOWN_AUTHORS.has(fullName)) return null;

  const before = tokens[first - 1];
  const twoBefore = tokens[first - 2];
  const adjacent = (a: Token | undefined, b: Token) =>
    a !== undefined && !separatesSentences(masked, a, b) && b.start - a.end <= 3;
  if (before && adjacent(before, firstToken) && ADULT_BEFORE.has(before.lower)) return null;
  if (
    twoBefore &&
    before &&
    adjacent(twoBefore, before) &&
    adjacent(before, firstToken) &&
    ADULT_BEFORE.has(twoBefore.lower) &&
    /^(?:the|a|an|our|by|of)$/.test(before.lower)
  ) {
    return null;
  }
  const after = tokens[last + 1];
  if (after && adjacent(lastToken, after)) {
    const possessive = /['’]s?$/.test(lastToken.word);
    if (AUTHOR_AFTER.has(after.lower)) return null;
    // "Kate DiCamillo's Because of Winn-Dixie": a possessive name before a capitalised title.
    if (possessive && NAME_SHAPE.test(after.word) && !NOT_NAMES.has(after.lower)) return null;
  }

  const child = nearestChildWord(masked, tokens, first, last);
  if (!child) return null;
  const start = Math.min(firstToken.start, child.start);
  const end = Math.max(lastToken.end, child.end);
  if (end - start <= PASSAGE_MAX)
    return { kind: "student-name", passage: original.slice(start, end), start, end };
  return {
    kind: "student-name",
    passage: original.slice(firstToken.start, lastToken.end),
    start: firstToken.start,
    end: lastToken.end,
  };
}

/** A child word within a few words of the name, in the same sentence. */
function nearestChildWord(masked: string, tokens: Token[], first: number, last: number): Token | null {
  for (let distance = 1; distance <= NEAR; distance += 1) {
    const backward = first - distance;
    if (
      backward >= 0 &&
      !crossesSentence(masked, tokens, backward, first) &&
      isChildWord(tokens[backward]!.lower)
    ) {
      return tokens[backward]!;
    }
    const forward = last + distance;
    if (
      forward < tokens.length &&
      !crossesSentence(masked, tokens, last, forward) &&
      isChildWord(tokens[forward]!.lower)
    ) {
      return tokens[forward]!;
    }
  }
  return null;
}

function crossesSentence(masked: string, tokens: Token[], from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) {
    if (separatesSentences(masked, tokens[index]!, tokens[index + 1]!)) return true;
  }
  return false;
}

/** Words just before a number or address that show it is an institution's, not a family's. */
const INSTITUTIONAL_CONTEXT =
  /\b(?:librar(?:y|ies|ian)|branch|desk|front office|main office|school office|reference|circulation|call us|text us|visit us|our number|hotline|helpline|museum|campus|center|centre|located at|find us|hours)\b/i;
/** Words that make a number or address personal even beside a library word. */
const PERSONAL_CONTEXT =
  /\b(?:home|cell|mobile|mom|mum|dad|mother|father|parent|parents|grandma|grandpa|guardian|his|her|their|lives|live|house|apartment|family|student|child|kid)\b/i;

function contextBefore(text: string, start: number): string {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  return text.slice(Math.max(lineStart, start - 60), start);
}

function isInstitutional(text: string, start: number): boolean {
  const context = contextBefore(text, start);
  return INSTITUTIONAL_CONTEXT.test(context) && !PERSONAL_CONTEXT.test(context);
}

const TOLL_FREE = /^(?:800|833|844|855|866|877|888)$/;

function findPhones(original: string, masked: string): PrivacyConcern[] {
  const concerns: PrivacyConcern[] = [];
  const northAmerican =
    /(?<![\w+-])(?:\+?1[ .-]?)?(?:\((\d{3})\) ?|(\d{3})[ .-])\d{3}[ .-]\d{4}(?![\w-])|(?<![\w+-])(?:\+?1[ .-]?)?\((\d{3})\)\d{3}-?\d{4}(?![\w-])/g;
  for (const match of masked.matchAll(northAmerican)) {
    const areaCode = match[1] ?? match[2] ?? match[3] ?? "";
    if (TOLL_FREE.test(areaCode)) continue;
    if (/\bISBN[\s:-]*$/i.test(contextBefore(masked, match.index))) continue;
    if (isInstitutional(masked, match.index)) continue;
    concerns.push(concernAt(original, "phone", match.index, match[0].length));
  }
  // Numbers abroad: a + and a country code other than 1, then 6 to 14 digits in groups.
  for (const match of masked.matchAll(
    /(?<![\w+])\+(?!1[ .-])[2-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w-])/g,
  )) {
    const digits = match[0].replace(/\D/g, "");
    if (digits.length < 8 || digits.length > 15) continue;
    if (isInstitutional(masked, match.index)) continue;
    concerns.push(concernAt(original, "phone", match.index, match[0].length));
  }
  return concerns;
}

/** Role mailboxes: an institution's address, not a person's. */
const ROLE_MAILBOXES = new Set(
  `library libraries librarian librarians info information circulation circ reference ref youth
  youthservices teens teen kids children childrens family families ask askus askalibrarian help helpdesk
  contact contactus office frontdesk desk programs program events outreach webmaster noreply no-reply
  donotreply support hello admin administrator media mediacenter ill interlibraryloan acquisitions
  cataloging catalog techservices tech press news newsletter communications marketing volunteer
  volunteers friends foundation storytime makerspace registration register bookings booking schedule
  summerreading summer-reading main branch director`.split(/\s+/),
);

function isInstitutionalAddress(local: string, domain: string): boolean {
  const mailbox = local.toLowerCase().replace(/\+.*$/, "");
  const firstPart = mailbox.split(/[._-]/)[0] ?? "";
  if (ROLE_MAILBOXES.has(mailbox) || ROLE_MAILBOXES.has(firstPart)) return true;
  // A library's own domain (lakesidelibrary.org, spl.lib.wa.us): its addresses belong to staff, not children.
  return domain
    .toLowerCase()
    .split(".")
    .some((label) => label === "lib" || label.includes("librar"));
}

function findEmails(original: string, masked: string): PrivacyConcern[] {
  const concerns: PrivacyConcern[] = [];
  // The lookbehind lets a match start only where a run of address characters starts, which keeps this linear.
  for (const match of masked.matchAll(
    /(?<![\w.%+-])([\w.%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24})(?![\w-]*@)/g,
  )) {
    if (isInstitutionalAddress(match[1]!, match[2]!)) continue;
    concerns.push(concernAt(original, "email", match.index, match[0].length));
  }
  return concerns;
}

function findStudentIds(original: string, masked: string): PrivacyConcern[] {
  const concerns: PrivacyConcern[] = [];
  const pattern =
    /\b(?:student\s*(?:id|i\.d\.|#|no\.?|number|num)|i\.?d\.?\s*(?:#|no\.?|number)?|lunch\s*(?:number|code|pin|#|id|account)|pin|(?:library\s*)?card\s*(?:number|#|no\.?)|library\s*card|barcode|account\s*(?:number|#|no\.?)|badge\s*(?:number|#))(?:(?<=[#.])|\b)[^\d\n]{0,20}?(\d{6,14})(?![\d-])/gi;
  for (const match of masked.matchAll(pattern)) {
    concerns.push(concernAt(original, "student-id", match.index, match[0].length));
  }
  return concerns;
}

const STREET_SUFFIX =
  "Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq";

/** A fundraiser, not a road: "our Book Drive", "the Coat Drive". */
const EVENT_DRIVES = new Set(
  "book food toy toys coat coats clothing donation blood supply supplies reading fund canned sock mitten diaper pajama uniform card sign-up".split(
    " ",
  ),
);

function findStreetAddresses(original: string, masked: string): PrivacyConcern[] {
  const concerns: PrivacyConcern[] = [];
  const pattern = new RegExp(
    `(?<![\\w$#.,-])(\\d{1,6}[A-Za-z]?)[ \\t]+((?:(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?[ \\t]+)?(?:\\p{Lu}[\\p{L}'’-]*|\\d+(?:st|nd|rd|th))(?:[ \\t]+\\p{Lu}[\\p{L}'’-]*){0,3})[ \\t]+(${STREET_SUFFIX})\\b\\.?`,
    "gu",
  );
  for (const match of masked.matchAll(pattern)) {
    const [whole, number, street, suffix] = match as unknown as [string, string, string, string];
    const lastStreetWord = street
      .split(/[ \t]+/)
      .pop()!
      .toLowerCase();
    if (suffix === "Drive" && EVENT_DRIVES.has(lastStreetWord)) continue;
    // "our 2024 Summer Reading Drive", "in 1999 Main Street was…": a year, not a house number.
    const before = contextBefore(masked, match.index);
    if (/^(?:19|20)\d\d$/.test(number) && /\b(?:the|our|this|last|next|in|since|by|of|for)\s+$/i.test(before))
      continue;
    if (isInstitutional(masked, match.index)) continue;
    concerns.push(concernAt(original, "street-address", match.index, whole.replace(/\.$/, "").length));
  }
  return concerns;
}

function concernAt(
  original: string,
  kind: PrivacyConcernKind,
  start: number,
  length: number,
): PrivacyConcern {
  return { kind, passage: original.slice(start, start + length), start, end: start + length };
}
