import { describe, expect, it } from "vitest";
import { demoPosts } from "~/db/demo-content";
import type { DemoComment } from "~/db/demo-content.types";
import {
  findPrivacyConcerns,
  privacyConcernExplanations,
  privacyConcernLabels,
  privacyHoldReason,
  type PrivacyConcernKind,
} from "~/lib/privacy-check";

// The labelled test set behind the table in docs/privacy-check.md. Each
// sentence lists the kinds a careful reader would flag in it; none for a
// negative. Print the table with PRIVACY_TABLE=1.
const testSet: Array<[string, PrivacyConcernKind[]]> = [
  // Positives: a child's name
  ["My 3rd grader Maya Lopez finished every book on the list.", ["student-name"]],
  ["Congratulations to our reader of the month, Jayden Brooks!", ["student-name"]],
  ["Sofia Ramirez in Mr. Patel's class asked for more graphic novels.", ["student-name"]],
  ["One student, Liam Chen, read 140 books this summer.", ["student-name"]],
  ["A kid named Oliver Grant keeps returning books with sticky notes inside.", ["student-name"]],
  ["Ava Thompson, a 5th grader, designed our summer reading poster.", ["student-name"]],
  ["Tell Ethan O'Brien's class the kits are ready.", ["student-name"]],
  ["The winning poem was by a second grader, Noah Kim.", ["student-name"]],
  ["Her daughter Emma Wilson volunteers at storytime.", ["student-name"]],
  ["Our student assistant Priya Shah reshelves the picture books.", ["student-name"]],
  ["Mateo Alvarez (grade 4) won the bookmark contest.", ["student-name"]],
  ["Kindergartner Lily Nguyen brought her dad to the card sign-up.", ["student-name"]],
  ["I have a 7-year-old, Harper Evans, who only reads shark books.", ["student-name"]],
  // Positives: phone numbers
  ["Her mom asked me to call back at 555-123-4567.", ["phone"]],
  ["The family's number is (608) 555-0199 if the book turns up.", ["phone"]],
  ["Text Jordan's dad at 608.555.0142 about the lost copy.", ["phone"]],
  ["His grandmother left +44 20 7946 0958 as a contact.", ["phone"]],
  ["Call me on my cell, 312-555-0100, after school.", ["phone"]],
  // Positives: e-mail addresses
  ["The parent's address is maria.gomez82@gmail.com.", ["email"]],
  ["Send the permission slip to ella.student@riverside.k12.ca.us.", ["email"]],
  ["You can reach the family at thejohnsonfamily@yahoo.com.", ["email"]],
  ["A student wrote to me from kidreader2014@hotmail.com asking for sequels.", ["email"]],
  // Positives: student IDs
  ["His student ID is 20481733, in case the card is lost.", ["student-id"]],
  ["Use lunch number 4412089 for the fine waiver.", ["student-id"]],
  ["Her library card number: 21234000567890.", ["student-id"]],
  ["Student #6620145 still has three overdue books.", ["student-id"]],
  // Positives: street addresses
  ["The family lives at 42 Maple Street, so the bookmobile could stop there.", ["street-address"]],
  ["Drop the books at 1187 W Birch Ave for him.", ["street-address"]],
  ["She walks home to 9 Orchard Lane after the club.", ["street-address"]],
  ["We mailed the prize to 305 Cedar Hill Rd.", ["street-address"]],
  // Positives: more than one kind
  ["Maya Lopez, a 3rd grader, can be reached at 555-123-4567.", ["student-name", "phone"]],
  ["Student ID 55512345 belongs to Leo Park, a sixth grader.", ["student-id", "student-name"]],
  ["My student Chloe Rivera lives at 77 Pine Court.", ["student-name", "street-address"]],
  [
    "Reach Daniel Cho's mom at daniel.cho.mom@gmail.com; Daniel Cho is in 2nd grade.",
    ["email", "student-name"],
  ],
  [
    "Isabella Martinez from Ms. Rivera's class emailed me at bella.m2015@gmail.com.",
    ["student-name", "email"],
  ],

  // Negatives
  ["Students loved Jason Reynolds' Ghost, and the holds list shows it.", []],
  ["Ms. Rivera's class visits every other Tuesday.", []],
  ["Call the library at 555-201-3000 to book a class visit.", []],
  ["Our Grade 3 Reading List is posted by the circulation desk.", []],
  ["The ISBN is 978-0-06-245678-1, and it runs 320 pages.", []],
  ["In 2019 we had 1,240 kids in summer reading.", []],
  ["Lakeside Elementary students read 12,000 minutes in June.", []],
  ["Email youth@lakesidelibrary.org for the class set request form.", []],
  ["Questions? Write to info@riversideschools.org.", []],
  ["My 5th graders could not put down *The Wild Robot* by Peter Brown.", []],
  ["Kate DiCamillo's Because of Winn-Dixie is still a class favorite.", []],
  ["Our Teen Advisory Board planned the whole Battle of the Books.", []],
  ["The Summer Reading Challenge kicks off June 10 at Cedar Falls Middle School.", []],
  ["Principal Angela Morris approved two class visits a month.", []],
  ['The kids voted "Dog Man" the best series of the year.', []],
  ["We ordered 30 copies of Roll of Thunder for the 8th grade.", []],
  ["A student teacher from Westfield College ran storytime.", []],
  ["Librarian Tom Bell and his students built a book tree.", []],
  ["Our branch is at 4120 Oak Avenue, across from the middle school.", []],
  ["Our 2024 Book Drive collected 900 books for kids.", []],
  ["Call 1-800-555-0199 for the state homework help line.", []],
  ["Each student gets a PIN of four digits.", []],
  ["Grades 6–8 read 4,500 books; that's 18 per student.", []],
  ["The 7th grade ELA team meets in Room 214 on Thursdays.", []],
  ["Students in Mr. Okafor's homeroom wrote letters to Mo Willems.", []],
  ["Jefferson Elementary kids made a mural for Dia de los Ninos.", []],
  ["Our East Side Story Hour draws about 40 kids each week.", []],
  ["The code `student_id = 20481733` is just a sample row in our spreadsheet export.", []],
  ["See the handout at https://example.org/students/Maya-Lopez for the template.", []],
  ["Our children's librarian, Rosa Delgado, ran nine assemblies.", []],
  ["Page 212 of the teacher guide has the discussion questions for students.", []],
  ["We read 45 books aloud to the kindergarten classes this fall.", []],
  ["Dev Patel from Lakeside Public Library visited my students.", []],
  ["My students loved meeting author Jerry Craft on Zoom.", []],
  ["Card sign-ups went from 31 students to 212 students.", []],
  ["Ask for Ms. Ana Rivera at the front desk; her class is in room 12.", []],
  ["The district's student information system exports 6-digit IDs.", []],
  ["Reading Is Fundamental sent 200 books for our second graders.", []],
  ["Contact circulation@eastsidepl.org with your class list.", []],
  ["Spring Break Reading Bingo is due back April 15.", []],
];

const kinds: PrivacyConcernKind[] = ["student-name", "phone", "email", "student-id", "street-address"];

type Counts = { tp: number; fp: number; fn: number };

/** Per kind, per sentence: was the kind expected, and was it found? */
function score() {
  const perKind = new Map<PrivacyConcernKind, Counts>(kinds.map((kind) => [kind, { tp: 0, fp: 0, fn: 0 }]));
  const mistakes: string[] = [];
  for (const [sentence, expected] of testSet) {
    const found = new Set(findPrivacyConcerns(sentence).map((concern) => concern.kind));
    for (const kind of kinds) {
      const counts = perKind.get(kind)!;
      const wanted = expected.includes(kind);
      if (wanted && found.has(kind)) counts.tp += 1;
      else if (found.has(kind)) {
        counts.fp += 1;
        mistakes.push(`false ${kind}: ${sentence}`);
      } else if (wanted) {
        counts.fn += 1;
        mistakes.push(`missed ${kind}: ${sentence}`);
      }
    }
  }
  const overall = [...perKind.values()].reduce(
    (sum, counts) => ({ tp: sum.tp + counts.tp, fp: sum.fp + counts.fp, fn: sum.fn + counts.fn }),
    { tp: 0, fp: 0, fn: 0 },
  );
  return { perKind, overall, mistakes };
}

const precision = ({ tp, fp }: Counts) => (tp + fp === 0 ? 1 : tp / (tp + fp));
const recall = ({ tp, fn }: Counts) => (tp + fn === 0 ? 1 : tp / (tp + fn));

function table(perKind: Map<PrivacyConcernKind, Counts>, overall: Counts) {
  const row = (name: string, counts: Counts) =>
    `| ${name} | ${counts.tp} | ${counts.fp} | ${counts.fn} | ${precision(counts).toFixed(2)} | ${recall(counts).toFixed(2)} |`;
  return [
    "| kind | TP | FP | FN | precision | recall |",
    "| ---- | -- | -- | -- | --------- | ------ |",
    ...kinds.map((kind) => row(kind, perKind.get(kind)!)),
    row("**overall**", overall),
  ].join("\n");
}

describe("the privacy checker's test set", () => {
  it("has at least 60 labelled sentences, about half of them positive", () => {
    expect(testSet.length).toBeGreaterThanOrEqual(60);
    const positives = testSet.filter(([, expected]) => expected.length > 0).length;
    expect(positives).toBeGreaterThanOrEqual(25);
    expect(testSet.length - positives).toBeGreaterThanOrEqual(25);
  });

  it("finds what could identify a child with high precision and recall, per kind and overall", () => {
    const { perKind, overall, mistakes } = score();
    if (process.env.PRIVACY_TABLE) {
      console.log(`${table(perKind, overall)}\n\n${mistakes.join("\n")}`);
    }
    // The floors are the measured numbers (docs/privacy-check.md), so a change that makes the check worse fails here.
    expect(precision(overall)).toBeGreaterThanOrEqual(0.95);
    expect(recall(overall)).toBeGreaterThanOrEqual(0.95);
    for (const kind of kinds) {
      expect(precision(perKind.get(kind)!), kind).toBeGreaterThanOrEqual(0.9);
      expect(recall(perKind.get(kind)!), kind).toBeGreaterThanOrEqual(0.8);
    }
  });
});

describe("findPrivacyConcerns", () => {
  it("passes every demo post and comment", () => {
    const flagged: string[] = [];
    const visit = (comment: DemoComment) => {
      for (const concern of findPrivacyConcerns(comment.body))
        flagged.push(`${concern.kind}: ${concern.passage}`);
      comment.replies?.forEach(visit);
    };
    for (const post of demoPosts) {
      for (const concern of findPrivacyConcerns(`${post.title}\n\n${post.body}`)) {
        flagged.push(`${concern.kind}: ${concern.passage}`);
      }
      post.comments.forEach(visit);
    }
    expect(flagged).toEqual([]);
  });

  it("shows the name with the word that made it a child's, and where it is", () => {
    const text = "Great news: Maya Lopez, a 3rd grader, won.";
    const [concern] = findPrivacyConcerns(text);
    expect(concern).toEqual({
      kind: "student-name",
      passage: "Maya Lopez, a 3rd grader",
      start: 12,
      end: 36,
    });
    expect(text.slice(concern!.start, concern!.end)).toBe(concern!.passage);
  });

  it("keeps offsets into the original text after code and links are set aside", () => {
    const text = "Run `npm test` then [see](https://example.org/x) call 555-123-4567 tonight, her mom said.";
    const [concern] = findPrivacyConcerns(text);
    expect(concern?.kind).toBe("phone");
    expect(text.slice(concern!.start, concern!.end)).toBe("555-123-4567");
  });

  it("ignores fenced code blocks, even unclosed ones", () => {
    expect(findPrivacyConcerns("```\nstudent Maya Lopez 555-123-4567\n```\nAll clear.")).toEqual([]);
    expect(findPrivacyConcerns("Sample:\n~~~csv\nmy student Maya Lopez, 555-123-4567")).toEqual([]);
  });

  it("checks an e-mail address in a mailto: link", () => {
    const concerns = findPrivacyConcerns("Write to [her mom](mailto:gomez.family@gmail.com).");
    expect(concerns.map((concern) => concern.kind)).toEqual(["email"]);
  });

  it("describes every kind in plain words and sums them up for the queue", () => {
    for (const kind of kinds) {
      expect(privacyConcernLabels[kind].length).toBeGreaterThan(5);
      expect(privacyConcernExplanations[kind].length).toBeGreaterThan(40);
    }
    const reason = privacyHoldReason(findPrivacyConcerns("Maya Lopez, a 3rd grader, is at 555-123-4567."));
    expect(reason).toBe(
      "Privacy check: a child's name? “Maya Lopez, a 3rd grader”; a phone number “555-123-4567”",
    );
    expect(privacyHoldReason(findPrivacyConcerns("my student Maya Lopez. ".repeat(100))).length).toBe(500);
  });

  it.each([
    ["letters", "a".repeat(20_000)],
    ["address characters without an @", "a.b-c%d+".repeat(2_500)],
    ["at signs", "a@".repeat(10_000)],
    ["digits", "1".repeat(20_000)],
    ["numbered capital words", "1 A ".repeat(5_000)],
    ["capital words", "Maya Lopez ".repeat(1_800)],
    ["dashed digits", "555-".repeat(5_000)],
    ["id words", "student ID ".repeat(1_800)],
    ["backticks and brackets", "`](".repeat(6_600)],
    ["fences", "```\n".repeat(5_000)],
  ])(
    "stays quick on 20,000 characters of %s",
    (_name, text) => {
      expect(Array.isArray(findPrivacyConcerns(text))).toBe(true);
    },
    2_000,
  );
});
