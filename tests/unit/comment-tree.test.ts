import { describe, expect, it } from "vitest";
import { buildCommentTree, MAX_DISPLAY_DEPTH, type CommentNode } from "~/lib/comment-tree";

type TestComment = { id: number; parentId: number | null; authorDisplayName: string };

const comment = (id: number, parentId: number | null, authorDisplayName = `Author ${id}`): TestComment => ({
  id,
  parentId,
  authorDisplayName,
});

/** Every node in reading (pre-)order, with the nesting level it is shown at (1 = top). */
function walk<T extends TestComment>(tree: CommentNode<T>[]) {
  const visited: { node: CommentNode<T>; level: number }[] = [];
  const stack: { node: CommentNode<T>; level: number }[] = tree.map((node) => ({ node, level: 1 })).reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    visited.push(next);
    for (let i = next.node.replies.length - 1; i >= 0; i--) {
      stack.push({ node: next.node.replies[i]!, level: next.level + 1 });
    }
  }
  return visited;
}

const ids = <T extends TestComment>(nodes: CommentNode<T>[]) => nodes.map((node) => node.comment.id);

/** A chain 1 ← 2 ← 3 … ← length, each replying to the one before. */
const chain = (length: number) =>
  Array.from({ length }, (_, index) => comment(index + 1, index === 0 ? null : index));

describe("buildCommentTree", () => {
  it("returns an empty tree for no comments", () => {
    expect(buildCommentTree([])).toEqual([]);
  });

  it("nests replies under the comment they answer", () => {
    const tree = buildCommentTree([comment(1, null), comment(2, 1), comment(3, 2), comment(4, null)]);

    expect(ids(tree)).toEqual([1, 4]);
    expect(ids(tree[0]!.replies)).toEqual([2]);
    expect(ids(tree[0]!.replies[0]!.replies)).toEqual([3]);
    expect(tree[0]!.replies[0]!.replies[0]!.replies).toEqual([]);
    expect(tree[1]!.replies).toEqual([]);
  });

  it("keeps siblings in the order given, oldest first", () => {
    const tree = buildCommentTree([
      comment(10, null),
      comment(3, null),
      comment(7, 10),
      comment(2, 10),
      comment(9, 10),
      comment(1, null),
    ]);

    expect(ids(tree)).toEqual([10, 3, 1]);
    expect(ids(tree[0]!.replies)).toEqual([7, 2, 9]);
  });

  it("finds a parent that comes later in the list", () => {
    const tree = buildCommentTree([comment(2, 1), comment(1, null)]);

    expect(ids(tree)).toEqual([1]);
    expect(ids(tree[0]!.replies)).toEqual([2]);
  });

  it("nests five levels deep by default", () => {
    expect(MAX_DISPLAY_DEPTH).toBe(5);
    const levels = walk(buildCommentTree(chain(5))).map(({ node, level }) => [node.comment.id, level]);

    expect(levels).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
  });

  it("gives comments within the display depth no inReplyTo", () => {
    const visited = walk(buildCommentTree(chain(5)));

    for (const { node } of visited) expect(node.inReplyTo).toBeNull();
  });

  it("shows replies past depth 5 beside their parent, saying whom they answer", () => {
    const comments = [
      comment(1, null, "Ada"),
      comment(2, 1, "Bea"),
      comment(3, 2, "Cy"),
      comment(4, 3, "Di"),
      comment(5, 4, "Ed"),
      comment(6, 5, "Flo"),
      comment(7, 6, "Gus"),
    ];
    const tree = buildCommentTree(comments);
    const levelFive = tree[0]!.replies[0]!.replies[0]!.replies[0]!.replies;

    expect(ids(levelFive)).toEqual([5, 6, 7]);
    expect(levelFive[0]!.inReplyTo).toBeNull();
    expect(levelFive[1]!.inReplyTo).toEqual({ id: 5, name: "Ed" });
    expect(levelFive[2]!.inReplyTo).toEqual({ id: 6, name: "Flo" });
    for (const node of levelFive) expect(node.replies).toEqual([]);
  });

  it("lists flattened replies in reading order: each one followed by its own replies before its next sibling", () => {
    // 5 is at depth 5 and has two replies (60, 70); 60 has replies 61 and 62; 61 has 611.
    const comments = [
      ...chain(5),
      comment(60, 5),
      comment(70, 5),
      comment(61, 60),
      comment(62, 60),
      comment(611, 61),
      comment(71, 70),
    ];
    const tree = buildCommentTree(comments);
    const levelFive = tree[0]!.replies[0]!.replies[0]!.replies[0]!.replies;

    expect(ids(levelFive)).toEqual([5, 60, 61, 611, 62, 70, 71]);
    expect(levelFive.map((node) => node.inReplyTo?.id ?? null)).toEqual([null, 5, 60, 61, 60, 5, 70]);
  });

  it("keeps a comment's place at depth 5 among its siblings when it has flattened replies", () => {
    // Depth-5 siblings 5 and 50 under 4; 5's replies must sit between 5 and 50.
    const comments = [...chain(5), comment(50, 4), comment(6, 5), comment(7, 6)];
    const tree = buildCommentTree(comments);
    const levelFive = tree[0]!.replies[0]!.replies[0]!.replies[0]!.replies;

    expect(ids(levelFive)).toEqual([5, 6, 7, 50]);
  });

  it("honours a smaller maxDepth", () => {
    const tree = buildCommentTree(chain(4), 2);

    expect(ids(tree)).toEqual([1]);
    expect(ids(tree[0]!.replies)).toEqual([2, 3, 4]);
    expect(tree[0]!.replies.map((node) => node.inReplyTo)).toEqual([
      null,
      { id: 2, name: "Author 2" },
      { id: 3, name: "Author 3" },
    ]);
  });

  it("shows a reply whose parent is not in the list at the top", () => {
    const tree = buildCommentTree([comment(1, null), comment(5, 999), comment(6, 5)]);

    expect(ids(tree)).toEqual([1, 5]);
    expect(tree[1]!.inReplyTo).toBeNull();
    expect(ids(tree[1]!.replies)).toEqual([6]);
  });

  it("handles a 10,000-deep chain without overflowing the stack: 5 nested levels, the rest in order", () => {
    const depth = 10_000;
    const tree = buildCommentTree(chain(depth));
    const visited = walk(tree);

    expect(Math.max(...visited.map(({ level }) => level))).toBe(5);
    const levelFive = tree[0]!.replies[0]!.replies[0]!.replies[0]!.replies;
    expect(levelFive).toHaveLength(depth - 4);
    expect(ids(levelFive)).toEqual(Array.from({ length: depth - 4 }, (_, index) => index + 5));
    expect(levelFive.at(-1)!.inReplyTo).toEqual({ id: depth - 1, name: `Author ${depth - 1}` });
  });

  it("shows every comment exactly once", () => {
    // A deterministic pseudo-random forest: each comment answers an earlier one, some are top-level,
    // some answer comments that are missing from the list.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const comments: TestComment[] = [];
    for (let id = 1; id <= 2_000; id++) {
      const roll = random();
      const parentId =
        id === 1 || roll < 0.1
          ? null
          : roll < 0.15
            ? 100_000 + id
            : Math.max(1, id - 1 - Math.floor(random() * 5));
      comments.push(comment(id, parentId));
    }

    const seen = walk(buildCommentTree(comments)).map(({ node }) => node.comment.id);

    expect(seen).toHaveLength(comments.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(comments.map(({ id }) => id));
  });

  it("returns the same comment objects it was given", () => {
    const input = [comment(1, null), comment(2, 1)];
    const tree = buildCommentTree(input);

    expect(tree[0]!.comment).toBe(input[0]);
    expect(tree[0]!.replies[0]!.comment).toBe(input[1]);
  });
});
