// The demo content seeded into an empty database.
import type { DemoMember, DemoPost, DemoTag } from "./demo-content.types";

export const DEMO_PASSWORD = "reading-together";

export const demoTags: DemoTag[] = [
  {
    name: "school-outreach",
    description:
      "Reaching schools that don't know you yet: first contacts, partner forms, and keeping the relationship going.",
  },
  {
    name: "booklists",
    description: "Shared reading lists, read-alikes, and title sets built for a grade, a unit, or a season.",
  },
  {
    name: "summer-reading",
    description:
      "Summer reading programs, school-to-public handoffs, logs and challenges, and keeping kids reading through the break.",
  },
  {
    name: "teacher-workshops",
    description:
      "Sessions, PD-day slots, and short demos that show teachers what both libraries can do for them.",
  },
  {
    name: "class-visits",
    description:
      "Field trips to the public library, librarian visits to classrooms, and everything it takes to schedule them.",
  },
  {
    name: "library-cards",
    description:
      "Card sign-up drives, student cards, fine-free policies, and getting a card into every student's hands.",
  },
  {
    name: "advocacy",
    description:
      "Making the case when budgets or positions are cut, with data, stories, and allies from both sides.",
  },
  {
    name: "curriculum",
    description:
      "Matching collections, databases, and programs to what students are actually studying this semester.",
  },
  {
    name: "teens",
    description:
      "Teen services, middle and high school partnerships, and programs that teens actually show up for.",
  },
];

export const demoMembers: DemoMember[] = [
  {
    username: "june-whitaker",
    displayName: "June Whitaker",
    email: "june-whitaker@example.org",
    libraryType: "other",
    community: "Three Rivers Regional Library System",
    bio: "Youth services consultant for a regional system covering 23 public libraries and about 60 schools. I started Crosswalk so we'd stop solving the same problems alone.",
    role: "admin",
    region: "Minnesota",
    openToPartnering: false,
  },
  {
    username: "dev-patel",
    displayName: "Dev Patel",
    email: "dev-patel@example.org",
    libraryType: "public",
    community: "Lakeside",
    bio: "Teen services librarian at Lakeside Public Library and a volunteer moderator here. Ask me about teen advisory boards, anime clubs, and surviving a 300-student assembly.",
    role: "moderator",
    region: "Minnesota",
    openToPartnering: true,
  },
  {
    username: "maria-okafor",
    displayName: "Maria Okafor",
    email: "maria-okafor@example.org",
    libraryType: "school",
    community: "Lakeside",
    bio: "Librarian at Jefferson Elementary, serving 540 kids in K–5. I run a lunchtime graphic novel club and will happily talk your ear off about picture book biographies.",
    role: "member",
    region: "Minnesota",
    openToPartnering: true,
  },
  {
    username: "hannah-lindqvist",
    displayName: "Hannah Lindqvist",
    email: "hannah-lindqvist@example.org",
    libraryType: "school",
    community: "Cedar Falls School District",
    bio: "Librarian at Cedar Falls Middle School (grades 6–8). Former English teacher who now spends most of her time co-planning research units.",
    role: "member",
    region: "Minnesota",
    openToPartnering: true,
  },
  {
    username: "marcus-bell",
    displayName: "Marcus Bell",
    email: "marcus-bell@example.org",
    libraryType: "school",
    community: "Millbrook",
    bio: "High school librarian at North Ridge High: 1,900 students and one very busy makerspace. Currently learning more about school board budgets than I ever wanted to.",
    role: "member",
    region: "Minnesota",
    openToPartnering: true,
  },
  {
    username: "rosa-delgado",
    displayName: "Rosa Delgado",
    email: "rosa-delgado@example.org",
    libraryType: "public",
    community: "Millbrook",
    bio: "Children's librarian at Millbrook Public Library's Eastside branch. Storytimes, summer reading, and a long-running campaign to get every kindergartner a library card.",
    role: "member",
    region: "Minnesota",
    openToPartnering: true,
  },
  {
    username: "tomas-reyes",
    displayName: "Tomás Reyes",
    email: "tomas-reyes@example.org",
    libraryType: "academic",
    community: "Harbor State University",
    bio: "Education librarian at Harbor State University, where I teach future teachers how to use both school and public libraries. Always happy to share workshop slides.",
    role: "member",
    region: "Minnesota",
    openToPartnering: true,
  },
  {
    username: "priya-nair",
    displayName: "Priya Nair",
    email: "priya-nair@example.org",
    libraryType: "school",
    community: "Maple Grove School District",
    bio: "First-year teacher-librarian at a K–8 school in Maple Grove. Still figuring out where everything is, including the public library's phone number.",
    role: "member",
    region: "Wisconsin",
    openToPartnering: true,
  },
];

export const demoPosts: DemoPost[] = [
  {
    author: "maria-okafor",
    kind: "story",
    title: "Library card sign-up night at back-to-school: 212 new cards in one evening",
    story: {
      programType: "library_card_drive",
      partners: ["school_library", "public_library", "families"],
      gradeBands: ["k_2", "3_5"],
      reach: 212,
      outcome: { measure: "library cards issued at back-to-school night", before: 31, after: 212 },
      staffHours: 10,
      wouldChange:
        "Drop the raffle: filling out tickets slowed the line and brought nobody new to the table.",
    },
    tags: ["library-cards", "school-outreach"],
    hoursAgo: 470,
    body: `Last year our back-to-school night library card table signed up **31 students**. It sat in a corner of the gym and mostly collected pens.

This year we partnered more closely with Riverside Public Library, changed four things, and signed up **212 students** in about two and a half hours.

1. **We moved the table to the front door**, right next to the PTA's free popcorn. Every family walked past us twice.
2. **We staffed it in three languages.** Two public library staff who speak Spanish, and a parent volunteer who speaks Somali.
3. **Cards went home that night.** The public library brought a laptop and a card printer, so nobody waited two weeks for a card in the mail (half of those used to get lost).
4. **Fine-free was on the sign in big letters.** The biggest hesitation we used to hear from parents was "what if we lose a book?"

What didn't work: a raffle for a basket of new books. Filling out raffle tickets slowed the line and didn't seem to bring over anyone who wasn't already coming.

The number I'm proudest of: **64 of those new cards were used in the first month** (the public library pulled an anonymous count for us). Next step is a class visit in October, so kids actually see where their card works.`,
    comments: [
      {
        author: "rosa-delgado",
        hoursAgo: 460,
        body: "Putting fine-free on the sign is such a good call. It's the number one question at every sign-up table I've ever staffed. Did you run into kids who already had a card with old fines on it?",
        replies: [
          {
            author: "maria-okafor",
            hoursAgo: 455,
            body: "A handful! Riverside Public cleared all juvenile fines when they went fine-free, so staff could just say “you're all set.” Two parents teared up. I'm not exaggerating.",
          },
        ],
      },
      {
        author: "june-whitaker",
        hoursAgo: 440,
        body: "Stealing the popcorn strategy for our regional outreach toolkit, with credit. And 64 of 212 used in the first month is a strong activation rate. Most drives I see land around 15–20%.",
      },
    ],
  },
  {
    author: "hannah-lindqvist",
    kind: "idea",
    title: "A shared booklist template for curriculum units (and how we split the work)",
    tags: ["booklists", "curriculum"],
    hoursAgo: 400,
    booklist: [
      {
        title: "Hatchet",
        author: "Gary Paulsen",
        isbn: "9781416936473",
        gradeBand: "6_8",
        note: "The anchor text. Audiobook at all three public library branches.",
      },
      {
        title: "The Hunger Games",
        author: "Suzanne Collins",
        isbn: "9780439023528",
        gradeBand: "6_8",
        note: "Literature circles only; some families ask for an alternative.",
      },
      {
        title: "A Long Walk to Water",
        author: "Linda Sue Park",
        gradeBand: "6_8",
        note: "Pairs with the water unit in science.",
      },
      { title: "Island of the Blue Dolphins", author: "Scott O'Dell", gradeBand: "6_8" },
    ],
    body: `Our 7th-grade ELA team asks me for a booklist for every unit, and our public library partner (hi, Dev) gets the same request from the same teachers a week later. So this year we started building them together in one shared spreadsheet.

**The template has six columns:**

- Title and author
- Reading level and interest level
- Copies at school
- Copies and formats at the public library (print, ebook, audiobook)
- Why it fits the unit (one sentence, written for teachers)
- Notes (content flags, series, read-alikes)

**How we split the work:** I fill in the curriculum side: what the unit is about, which titles fit, and the one-sentence rationale. The public library fills in availability, especially ebooks and audiobooks, which matter a lot for our students with IEPs. It takes each of us about 45 minutes per unit instead of two hours alone.

Our first list was for the 7th-grade *Survival* unit: 38 titles, and 29 of them were available in at least one format at the public library. Teachers loved seeing that a kid could get the audiobook the same day instead of waiting on my two paperback copies.

Blank template here: https://example.org/unit-booklist-template. Make a copy and change whatever doesn't fit your building.`,
    comments: [
      {
        author: "dev-patel",
        hoursAgo: 395,
        body: "Speaking as the other half of this: the split really works. One thing I'd add is a column for **which branch** has the copies. Ours are spread across three branches, and teachers don't find that out until a kid shows up at the wrong one.",
        replies: [
          {
            author: "hannah-lindqvist",
            hoursAgo: 390,
            body: "Adding it now. Also a *last checked* date, since availability changes fast once a unit starts.",
          },
        ],
      },
      {
        author: "marcus-bell",
        hoursAgo: 380,
        body: "Could this work for high school research units, where it's less about novels and more about databases and primary sources?",
        replies: [
          {
            author: "hannah-lindqvist",
            hoursAgo: 370,
            body: "I think so. Swap *reading level* for *source type*, and *copies* for *access* (school login, public library card, or open web). Try it and share back?",
            replies: [
              {
                author: "marcus-bell",
                hoursAgo: 360,
                body: "Will do. Our 10th-grade civics unit starts in a few weeks, which is a perfect test.",
              },
            ],
          },
        ],
      },
    ],
  },
  {
    author: "dev-patel",
    kind: "story",
    title: "Our teen advisory board ran the middle school visit, and it was the best one yet",
    story: {
      programType: "class_visit",
      partners: ["public_library", "school_library", "teachers"],
      gradeBands: ["6_8"],
      reach: 150,
      outcome: { measure: "Cedar Falls students at the summer kickoff", before: 20, after: 57 },
      staffHours: 12,
      wouldChange:
        "Build in a practice run at the school the week before. The teens needed far more rehearsal than I expected.",
    },
    tags: ["teens", "class-visits"],
    hoursAgo: 330,
    body: `Every spring we visit Cedar Falls Middle School to promote summer programs, and every spring it's the same: me, a slideshow, and 150 sixth graders politely waiting for it to end.

This year I handed the whole thing to our **Teen Advisory Board**. Six teens, ages 13 to 17, most of whom went to Cedar Falls themselves. They had three weeks and exactly one rule from me: no more than five slides.

What they came up with:

- A two-minute skit about losing your phone and discovering the library has free Wi-Fi (and air conditioning)
- **Book speed-dating**: each teen pitched one book in 30 seconds, then the audience voted
- An "ask a teen anything" round, which ran 15 minutes over because the questions kept coming

The results: we usually see around 20 Cedar Falls students at our summer kickoff. This year **57 came**, and 11 of them asked about joining the advisory board.

Honest lessons: the teens needed far more rehearsal time than I expected, and one of them froze completely on stage. Hannah, the school librarian, stepped in and interviewed her instead of making her present, which turned into one of the best moments of the day. Next year I'm building in a practice run at the school the week before.`,
    comments: [
      {
        author: "hannah-lindqvist",
        hoursAgo: 325,
        body: "The ask-a-teen round was all my 6th graders talked about for a week. One of them asked me whether she could join the advisory board “when she's old enough.”",
        replies: [
          {
            author: "dev-patel",
            hoursAgo: 320,
            body: "Tell her the minimum age is 12, so she's closer than she thinks. Send her our way!",
          },
        ],
      },
      {
        author: "maria-okafor",
        hoursAgo: 300,
        body: "Any ideas for scaling this down to elementary? I'm picturing 5th graders reading to kindergartners, with the public library hosting, but I'm not sure how to keep it from turning into chaos.",
      },
    ],
  },
  {
    author: "maria-okafor",
    kind: "question",
    title: "Summer reading logs for K–2: keep them, change them, or drop them?",
    tags: ["summer-reading"],
    hoursAgo: 260,
    body: `Every June, our K–2 teachers send home a reading log: 20 minutes a day, a parent signs each week, and kids return it in September for a certificate. Every September I get back about **40 out of 260**. The ones that come back are almost always from families who were going to read all summer anyway.

Meanwhile the public libraries nearby run their own summer programs with their own tracking, so some families are juggling two different logs for the same books.

I'm trying to decide what to propose to our primary teachers before the end of the year:

1. **Keep the log**, but make it match the public library's, so families only track once
2. **Swap the log for something lighter**, like a bingo card or a "books I loved" drawing page
3. **Drop the school log completely** and promote the public library program hard instead

I'm leaning toward option 3, but our teachers are attached to the certificates, and the kids honestly love the September assembly where we hand them out. Has anyone made this switch? What did you do for the teachers who wanted something to show for it in the fall?`,
    comments: [
      {
        author: "rosa-delgado",
        hoursAgo: 255,
        body: "Public library side here: we dropped minute logs for kids under 8 three years ago and switched to a bingo card (read outside, read to a pet, read a book with no words...). Completion went from roughly 30% to 52%, and parents stopped telling us the logs felt like homework.",
        replies: [
          {
            author: "maria-okafor",
            hoursAgo: 250,
            body: "Bingo is great. Would you accept the school's log too, or only yours? Some of our teachers will keep sending one home no matter what I propose.",
            replies: [
              {
                author: "rosa-delgado",
                hoursAgo: 245,
                body: "We accept anything! A completed school log counts as a full bingo card. The kids don't care about the format; they care about the prize book. And you could keep the certificate assembly and invite us to it.",
              },
            ],
          },
        ],
      },
      {
        author: "tomas-reyes",
        hoursAgo: 230,
        body: "There's decent research suggesting required logs can dampen motivation for kids who already read a lot. I keep a short plain-language summary with citations here, in case your teachers want something to read: https://example.org/reading-logs-research-summary",
      },
    ],
    summary: {
      hoursAgo: 200,
      body: `What I took to our primary teachers, thanks to everyone who answered:

- **We're swapping the minute log for a bingo card**, built together with the public library, so families track once. Rosa's branch saw completion go from about 30% to 52% after the same switch.
- **The branch accepts a finished school log as a full card**, so teachers who still want to send a log home can.
- **The September assembly stays**, and the public library is invited to hand out certificates with us.
- I shared Tomás's research summary with the team; it settled the question of required minutes.`,
      credits: [
        { author: "rosa-delgado", hoursAgo: 255 },
        { author: "tomas-reyes", hoursAgo: 230 },
      ],
    },
  },
  {
    author: "tomas-reyes",
    kind: "idea",
    title: "Pitch a 45-minute public library session for teacher in-service days",
    tags: ["teacher-workshops", "library-cards"],
    hoursAgo: 210,
    body: `Our college of education requires every student teacher to attend a short library session, and over the years it has turned into something I think public libraries could run on any school's in-service day.

The pitch to principals: **45 minutes, no prep for teachers, and everyone leaves with a public library card.**

Here's the outline we've settled on:

1. **5 minutes:** everyone signs up for an e-card on their phone, right there
2. **15 minutes:** three databases teachers don't know they already have (for us, a leveled news site, a test-prep database, and a streaming video service with classroom rights)
3. **10 minutes:** how to request a classroom set or a book club kit
4. **10 minutes:** the school librarian shows how they and the public library split up a unit booklist
5. **5 minutes:** questions and a one-page handout

The key is part 4. When teachers see the school librarian and the public librarian standing up together, it stops feeling like "another vendor pitch" and starts looking like a team.

Slides and handout are at https://example.org/in-service-library-session. I'd love to hear if anyone adapts it for an elementary staff.`,
    comments: [
      {
        author: "marcus-bell",
        hoursAgo: 205,
        body: "Strongly agree on doing the **e-card sign-up in the room**. Half my staff say they'll do it later, and later never comes.",
        replies: [
          {
            author: "tomas-reyes",
            hoursAgo: 200,
            body: "That's exactly why it moved to minute one. About 80% of people now walk out with a card number.",
          },
        ],
      },
      {
        author: "hannah-lindqvist",
        hoursAgo: 190,
        body: "For a middle school staff I'd open with the databases instead. Our teachers perk up the moment they see leveled news articles on the topic they're teaching that week.",
      },
    ],
  },
  {
    author: "rosa-delgado",
    kind: "story",
    title: "Summer reading kickoff: nine elementary school assemblies in five days",
    story: {
      programType: "summer_reading",
      partners: ["public_library", "school_library", "teachers", "families"],
      gradeBands: ["k_2", "3_5"],
      outcome: { measure: "children registered for summer reading", before: 410, after: 780 },
      staffHours: 25,
    },
    tags: ["summer-reading", "school-outreach"],
    hoursAgo: 180,
    body: `Last June I finally did something I'd been talking about for three years: a summer reading kickoff assembly at **every elementary school** in our branch's area. Nine schools, five days, one very tired children's librarian.

Each visit was 20 minutes in the gym:

- A quick read-aloud (same picture book every time; by Wednesday I could perform it in my sleep)
- A call-and-response chant the kids invented at the first school, which every school after that learned
- A half-page sign-up slip for every child, in English and Spanish, with the school's name pre-printed on it

**The numbers:** the year before, 410 kids registered for summer reading at our branch. Last summer we had **780**, and 300 of those slips came back with a school name on them, so I know the assemblies did it.

What I'd change: nine schools in five days was too many. By day four I had lost my voice, and one school got a shortened version. Next year I'm spreading it over two weeks and asking each school librarian to co-host, which also means the kids see us side by side.

Huge thanks to Maria and the other school librarians who fought to get me onto their assembly calendars.`,
    comments: [
      {
        author: "maria-okafor",
        hoursAgo: 175,
        body: "You came to Jefferson on day three, and the kids were still doing the chant in the hallway the following week. Slips came back from 118 of our 540 kids.",
        replies: [
          {
            author: "rosa-delgado",
            hoursAgo: 172,
            body: "118! That was the best return of all nine schools. What did you do differently?",
            replies: [
              {
                author: "maria-okafor",
                hoursAgo: 168,
                body: "Teachers stapled the slip to the last report card. Parents **always** look at the report card.",
              },
            ],
          },
        ],
      },
      {
        author: "june-whitaker",
        hoursAgo: 160,
        body: "Nine assemblies in five days is heroic, but please don't do it alone again. Ask the regional office for a second presenter next year. We have a small fund for exactly this.",
      },
    ],
  },
  {
    author: "june-whitaker",
    kind: "discussion",
    title: "Should public libraries share student card usage data with schools?",
    tags: ["library-cards", "advocacy"],
    hoursAgo: 150,
    body: `A question came up at our regional youth services meeting and the room split right down the middle, so I'm bringing it here.

Several of our public libraries issue cards to every student in partner districts. School librarians and principals have started asking for usage reports: **how many students used their card this month, and which ones?**

The case for sharing:

- Schools can see whether the card drives actually worked
- Teachers could nudge students who have never used their card
- Numbers like these help both sides at budget time

The case against:

- Library privacy is a core value, and state law protects patron records
- Families didn't sign up expecting their school to see their public library use
- Once the data lives in a school system, we no longer control where it goes

Right now most of our libraries share **aggregate counts only** (active student cards per school, total checkouts) and nothing tied to a name. A couple of principals have pushed hard for more.

Where do you draw the line? And if you've written a data-sharing agreement for this, what's in it?`,
    comments: [
      {
        author: "marcus-bell",
        hoursAgo: 145,
        body: "Aggregate, yes. Individual, absolutely not. I'd love to know that 38% of our 9th graders used a public library card this month. I don't need to know which ones.",
        replies: [
          {
            author: "june-whitaker",
            hoursAgo: 140,
            body: "That's where most of our libraries land too. The tricky part is small schools, where an “aggregate” of four kids can still identify someone.",
            replies: [
              {
                author: "marcus-bell",
                hoursAgo: 135,
                body: "Good point. A minimum group size before anything gets reported? Ten, maybe?",
                replies: [
                  {
                    author: "dev-patel",
                    hoursAgo: 130,
                    body: "Ten is what our policy uses. We also never break numbers down by grade for schools under 200 students.",
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        author: "rosa-delgado",
        hoursAgo: 125,
        body: "Parents sometimes ask me the reverse: *can the school see what my kid checks out here?* It's a real relief to be able to answer with a plain no.",
      },
    ],
  },
  {
    author: "marcus-bell",
    kind: "discussion",
    title: "Our district cut two high school librarian positions. Should the public library step in?",
    tags: ["advocacy", "teens"],
    hoursAgo: 120,
    body: `Last week our school board approved a budget that eliminates two of the four high school librarian positions in North Ridge Unified. Starting next year, two of our high schools will have a library clerk and no certified librarian.

At the board meeting, one trustee said (I'm quoting from my notes) that students "still have full access to the public library." The public library's director wasn't in the room, and nobody had asked her.

So here's what I'm wrestling with:

- The public library's teen staff are great, and I know they'd want to help: extended homework help, database training, maybe even a weekly pop-up in the cafeteria.
- But if they quietly fill the gap, doesn't that prove the board's point? **The cut becomes permanent because nothing visibly broke.**
- Meanwhile, real students lose real services next fall, and I don't want them to pay for the principle.

For those of you who've been through this from either side: **did the public library step in, and how did it play out a year or two later?** And if you're a public librarian, how would you want a school librarian to approach you about this without putting you in a political spot?`,
    comments: [
      {
        author: "dev-patel",
        hoursAgo: 115,
        body: "I'm so sorry, Marcus. We're feeling the same pressure in Lakeside. My honest take from the public side: we absolutely want to help your students, but we should **never quietly absorb** the work. If we do, nobody on the board will ever see what was lost.",
        replies: [
          {
            author: "marcus-bell",
            hoursAgo: 110,
            body: "That's exactly my fear. And the trustee's comment wasn't a throwaway line. It's in the budget memo, nearly word for word, as a justification. So anything the public library does next year will be read as proof they were right.",
            replies: [
              {
                author: "june-whitaker",
                hoursAgo: 104,
                body: `Then get the public library's position on the record *before* next year starts. Ask the director for a short letter to the board that spells out what the public library cannot do:

- We're not open during the school day
- We don't teach research skills inside classes
- We don't build collections around your curriculum

Facts, not outrage.`,
                replies: [
                  {
                    author: "marcus-bell",
                    hoursAgo: 98,
                    body: "Would a director actually sign something like that? Ours avoids anything that looks political, especially with a library levy on the ballot next year.",
                    replies: [
                      {
                        author: "dev-patel",
                        hoursAgo: 90,
                        body: "Frame it as **capacity**, not politics. Our director signed one last year because it was just numbers: 2.5 FTE teen staff for about 14,000 teens, open 3 to 8 p.m. on school days. Nobody can argue with hours and headcount. I can send you our letter as a model if that helps.",
                        replies: [
                          {
                            author: "marcus-bell",
                            hoursAgo: 80,
                            body: "Yes, please. I'll draft one for North Ridge using yours as a starting point. Okay if I post the draft here for feedback before I take it to our director?",
                            replies: [
                              {
                                author: "dev-patel",
                                hoursAgo: 72,
                                body: "Absolutely. Start a new discussion and tag it **advocacy** so others can find it later. The letter is in your inbox.",
                              },
                            ],
                          },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        author: "tomas-reyes",
        hoursAgo: 100,
        body: "For the board presentation, the school library impact studies are your friend: more than two dozen state studies link certified school librarians with higher reading scores, especially for students from low-income families. Plain-language summary here: https://example.org/school-library-impact-studies",
        replies: [
          {
            author: "hannah-lindqvist",
            hoursAgo: 95,
            body: "Bookmarking this. We used two of those studies when Cedar Falls tried a similar cut four years ago, and the positions came back the next budget cycle. Honestly, though, parents speaking at the meeting mattered even more than the data.",
          },
        ],
      },
    ],
  },
  {
    author: "hannah-lindqvist",
    kind: "question",
    title:
      "Can the public library supply 30 copies for a 7th-grade novel study without wrecking everyone's holds?",
    tags: ["curriculum", "booklists"],
    booklist: [
      {
        title: "Hatchet",
        author: "Gary Paulsen",
        isbn: "9781416936473",
        gradeBand: "6_8",
        note: "First choice.",
      },
      { title: "The Giver", author: "Lois Lowry", isbn: "9780544336261", gradeBand: "6_8" },
      { title: "Wonder", author: "R. J. Palacio", isbn: "9780375869020", gradeBand: "3_5" },
      {
        title: "Holes",
        author: "Louis Sachar",
        isbn: "9780440414803",
        gradeBand: "6_8",
        note: "We have 6 copies already.",
      },
    ],
    hoursAgo: 90,
    body: `Our 7th-grade ELA team wants to do a whole-class novel study this spring. I have 6 copies in my library and no budget left for a class set (about 30 copies, maybe $400 in paperbacks).

My first thought was the public library, but I don't want to be the person who puts 30 holds on one title and makes everyone else in town wait three months.

A few questions for the public library folks:

- Is there a polite way to ask for a **classroom set** that doesn't go through the regular holds queue?
- How far ahead do you need the request?
- Who is responsible if a copy disappears? Our students are 12. A copy *will* disappear.

And for the school folks: have you found other ways to get class sets without buying them? I've heard of districts sharing sets between schools, but ours doesn't have anything like that yet.

The title is still open, but the team is leaning toward something by Alan Gratz.`,
    comments: [
      {
        author: "dev-patel",
        hoursAgo: 85,
        body: "Please email our teen desk 4–6 weeks ahead! We have a **book club kit** collection: sets of 10 to 30 copies that never touch the holds queue. Lost copies from a kit get a flat replacement fee, and we waive it for the first one per class. List of current kits: https://example.org/lakeside-book-club-kits",
        replies: [
          {
            author: "hannah-lindqvist",
            hoursAgo: 82,
            body: "I had no idea these existed. Do you have anything by Gratz? The team's first choice is *Refugee*.",
            replies: [
              {
                author: "dev-patel",
                hoursAgo: 78,
                body: "Two sets of 15 of *Refugee*. They're yours for six weeks if the request comes in by Friday.",
                replies: [
                  {
                    author: "hannah-lindqvist",
                    hoursAgo: 75,
                    body: "Request sent. This just saved about $400 of my budget, which is now going toward audiobook licenses for the same unit. Thank you!",
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        author: "june-whitaker",
        hoursAgo: 70,
        body: "Regional tip for anyone reading later: if your own public library doesn't have kits, ask about **interlibrary loan of kit sets**. Most systems in our region share them, and small libraries often don't advertise it.",
      },
    ],
  },
  {
    author: "june-whitaker",
    kind: "idea",
    title: "Build a one-page contact sheet for every school in your service area",
    tags: ["school-outreach"],
    hoursAgo: 40,
    body: `After years of watching public librarians send careful emails into the void, I started asking every library in our region to keep a **one-page contact sheet for each school** in its service area. It isn't fancy, but it changes how outreach works.

For each school, one row per person:

- **Principal** and the front office manager (the office manager is usually the one who actually reads the mail)
- **School librarian** or library para, if there is one
- **Literacy coach** or reading specialist
- **PTA president** and whoever edits the newsletter
- **After-school program coordinator** (often a separate organization, and often very eager for partners)

Add columns for *last contact* and *what they responded to*. After a year you'll know that one school always answers through the PTA and another only answers through the after-school coordinator.

Our template is at https://example.org/school-contact-sheet. Two rules: refresh it every August, because people move around a lot, and keep personal cell numbers off it unless someone explicitly says that's fine.

The first library to try this went from 3 schools they worked with regularly to 9 in one year, and most of that came from the last three rows.`,
    comments: [
      {
        author: "tomas-reyes",
        hoursAgo: 38,
        body: "We do something similar for student teacher placements. Including the **literacy coach** is smart; they're often the real decision-maker for anything reading-related.",
      },
      {
        author: "hannah-lindqvist",
        hoursAgo: 35,
        body: "From the school side: include the library para's name when there's no certified librarian. Paras are often the only ones who check the library inbox.",
        replies: [
          {
            author: "june-whitaker",
            hoursAgo: 33,
            body: "Adding it to the template. That's exactly the kind of row I'd have missed.",
          },
        ],
      },
    ],
  },
  {
    author: "rosa-delgado",
    kind: "question",
    title: "How do I get a foot in the door at a school that never answers my emails?",
    tags: ["school-outreach", "class-visits"],
    hoursAgo: 30,
    body: `Our branch sits four blocks from Eastside Elementary. About a third of the kids at our Saturday storytime go there. And yet in two years I have never once heard back from the school.

Here's what I've tried so far:

- **Emails** to the principal and the main office address, roughly once a month, offering free class visits and library card sign-ups
- A printed flyer dropped off at the front desk in August
- A phone call, which went to a voicemail box that was full

I'm not trying to add to anyone's workload. I have a ready-made 30-minute visit for K–2 (a few picture books, card sign-ups, a scavenger hunt around the branch), and I can bring it to them or host them here. Our Friends group even covers buses for two field trips a year, and that money went unused last spring.

I know principals are drowning. I'm just not sure who else to contact, or whether I should keep sending emails at all. **What finally worked for you?** Bonus points if you're on the school side and can tell me what would actually get your attention.

My visit outline is here if anyone wants it: https://example.org/eastside-k2-visit-outline`,
    comments: [
      {
        author: "hannah-lindqvist",
        hoursAgo: 27,
        body: `Speaking from the school side: my inbox gets about 150 emails a day, and anything from outside the district is flagged as external and lands in a folder I check maybe once a week. I'm not proud of it.

Two things that would get my attention: **come in person** while the library is open, and **find the librarian, not the principal**. Principals forward these emails to us anyway, usually weeks later.`,
        replies: [
          {
            author: "rosa-delgado",
            hoursAgo: 25,
            body: "That's really helpful, and a little painful. Here's my complication: Eastside doesn't have a librarian anymore. As far as I can tell, a part-time para keeps the library open three days a week. Is it fair to ask her to set up a partnership?",
            replies: [
              {
                author: "hannah-lindqvist",
                hoursAgo: 23,
                body: "Fair to *ask*, but she may not have the authority to say yes to field trips. Bring her something small (new books for the library go a long way) and ask who at the school cares most about reading. Usually it's the **literacy coach** or a reading specialist. That's your real door.",
                replies: [
                  {
                    author: "rosa-delgado",
                    hoursAgo: 20,
                    body: "The literacy coach! I never once thought of that. Should I just walk in and ask for her, or is there a less awkward way? I don't want to ambush anyone, and the principal still hasn't answered a thing.",
                    replies: [
                      {
                        author: "marcus-bell",
                        hoursAgo: 17,
                        body: "Less awkward way: go through the **PTA**. They meet monthly, they're always looking for speakers, and the principal almost always attends. Ask for five minutes on the agenda to offer free class visits and card sign-ups. You'll be in the same room as the principal, the literacy coach, and thirty parents who will ask the school why it hasn't taken you up on the offer.",
                        replies: [
                          {
                            author: "rosa-delgado",
                            hoursAgo: 9,
                            body: "Update: I emailed the PTA president at lunch and she replied **within an hour**. I'm on the agenda for next month's meeting, and she's putting the class visit offer in this Friday's newsletter. Two years of silence, then one email to the right person. Thank you, all of you.",
                            replies: [
                              {
                                author: "hannah-lindqvist",
                                hoursAgo: 6,
                                body: "This is exactly how it starts. Bring a stack of card applications to the meeting, and bring enough for the teachers too.",
                              },
                            ],
                          },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        author: "dev-patel",
        hoursAgo: 26,
        body: "One more angle: offer something they need *right now*, not something you want to promote. In spring that's testing season, so our opener with high schools is free online test prep with a public library card. Once we've solved a problem for them, a class visit is an easy yes.",
        replies: [
          {
            author: "priya-nair",
            hoursAgo: 4,
            pending: true,
            body: "I'm a first-year school librarian and I'm reading this whole thread taking notes. From my side of the desk: if you email, **CC the librarian and the principal together**. Then I can say yes without feeling like I'm going around anyone.",
          },
        ],
      },
      {
        author: "june-whitaker",
        hoursAgo: 22,
        body: "Also worth checking: many districts require outside organizations to register as a **community partner** before principals are allowed to approve visits. If your library isn't on that list, that alone could explain the silence. The district's family engagement office usually keeps it.",
        replies: [
          {
            author: "rosa-delgado",
            hoursAgo: 19,
            body: "Just checked, and we're not on the list. Filling out the form today. I can't believe nobody ever mentioned this.",
          },
        ],
      },
    ],
  },
  {
    author: "dev-patel",
    kind: "discussion",
    title: "Teacher workshops: after school, PD day, or a short video? What gets real results?",
    tags: ["teacher-workshops"],
    hoursAgo: 8,
    body: `We've run teacher workshops three different ways this year, and I honestly can't tell which one to keep.

- **After school, at the library:** snacks, a hands-on database session, a raffle. 7 teachers came, out of roughly 400 we invited. Those 7 were fantastic.
- **A 30-minute slot on a district PD day:** 85 teachers in a cafeteria. A captive audience, but a few were grading papers the entire time.
- **A 10-minute recorded video** sent out in the district newsletter: 212 views, and no idea whether anyone watched past minute two.

Card sign-ups afterward were 7, 31, and 4, which points to the PD day. But the after-school group is the one still emailing me about class visits and booklists three months later.

What formats are working in your area? And how do you measure success: attendance, new cards, or the relationships that come out of it?`,
    comments: [
      {
        author: "tomas-reyes",
        hoursAgo: 7,
        body: "PD day, every time, if you can get on the agenda. After-school sessions with our partner districts average about six people; PD-day sessions reach the whole building.",
        replies: [
          {
            author: "marcus-bell",
            hoursAgo: 5,
            body: "Agreed, but the short video is what people actually go back to in March when they need it. Why not both?",
            replies: [
              {
                author: "dev-patel",
                hoursAgo: 3,
                body: "Both is probably the answer. Record the PD-day session and cut it into three short clips for the newsletter.",
              },
            ],
          },
        ],
      },
    ],
  },
  {
    author: "rosa-delgado",
    kind: "story",
    title: "We tried the back-to-school card table in Millbrook: 40 cards to 310",
    story: {
      programType: "library_card_drive",
      partners: ["public_library", "school_library", "families"],
      gradeBands: ["k_2", "3_5"],
      reach: 310,
      outcome: { measure: "library cards issued at back-to-school night", before: 40, after: 310 },
      staffHours: 14,
      wouldChange:
        "Bring two card printers. With one, the line backed up into the hallway for the first hour.",
      triedFrom: "Library card sign-up night at back-to-school: 212 new cards in one evening",
    },
    tags: ["library-cards", "school-outreach"],
    hoursAgo: 60,
    body: `After reading Maria's post about her back-to-school card table, Marcus and I tried the same thing at Millbrook Elementary this fall.

We kept three of her four changes: the table by the front door, cards printed on the spot, and **fine-free** in big letters. We couldn't staff it in three languages, so we printed the sign-up form in English and Spanish and had one Spanish-speaking volunteer.

Last year the school's card table signed up 40 students. This year: **310**.

The one thing we added: the school librarian handed every teacher a class list the week before, so teachers could remind families at pick-up. Several parents told us that was why they came over.`,
    comments: [
      {
        author: "maria-okafor",
        hoursAgo: 50,
        body: "310! The class-list reminder is a great addition. I'm borrowing it back for next year.",
      },
    ],
  },
];
