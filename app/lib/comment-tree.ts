/** The page nests replies this deep, like WordPress's default; deeper ones line up at this depth. */
export const MAX_DISPLAY_DEPTH = 5;

type TreeComment = { id: number; parentId: number | null; authorDisplayName: string };

export type CommentNode<T extends TreeComment> = {
  comment: T;
  replies: CommentNode<T>[];
  /** Set on a reply shown beside its parent rather than under it (past the display depth). */
  inReplyTo: { id: number; name: string } | null;
};

/**
 * Builds the displayed tree from a flat list in O(n). Input order (oldest
 * first) is kept among siblings. Past `maxDepth`, a comment's descendants
 * follow it at the same level in reading order, each saying whom it answers.
 * A reply whose parent is not in the list (held, removed) is shown at the top.
 */
export function buildCommentTree<T extends TreeComment>(
  comments: readonly T[],
  maxDepth = MAX_DISPLAY_DEPTH,
): CommentNode<T>[] {
  const byId = new Map<number, T>();
  const childrenOf = new Map<number, T[]>();
  const roots: T[] = [];
  for (const comment of comments) byId.set(comment.id, comment);
  for (const comment of comments) {
    const parentId = comment.parentId;
    if (parentId === null || !byId.has(parentId)) {
      roots.push(comment);
      continue;
    }
    const siblings = childrenOf.get(parentId);
    if (siblings) siblings.push(comment);
    else childrenOf.set(parentId, [comment]);
  }

  const inReplyTo = (comment: T) => {
    const parent = comment.parentId === null ? undefined : byId.get(comment.parentId);
    return parent ? { id: parent.id, name: parent.authorDisplayName } : null;
  };

  // Recursion is bounded by maxDepth; the unbounded part below is iterative.
  const place = (comment: T, level: CommentNode<T>[], depth: number) => {
    const node: CommentNode<T> = { comment, replies: [], inReplyTo: null };
    level.push(node);
    const children = childrenOf.get(comment.id) ?? [];
    if (depth < maxDepth) {
      for (const child of children) place(child, node.replies, depth + 1);
      return;
    }
    const stack = [...children].reverse();
    for (let next = stack.pop(); next; next = stack.pop()) {
      level.push({ comment: next, replies: [], inReplyTo: inReplyTo(next) });
      const grandchildren = childrenOf.get(next.id);
      if (grandchildren) for (let i = grandchildren.length - 1; i >= 0; i--) stack.push(grandchildren[i]!);
    }
  };

  const tree: CommentNode<T>[] = [];
  for (const root of roots) place(root, tree, 1);
  return tree;
}

/**
 * Drops deleted comments that no longer have any visible reply below them,
 * in O(n): a deleted comment stays (as "[deleted]") only to hold its replies.
 * Relies on replies coming after their parents in the list, as they are
 * written after them.
 */
export function withoutDeletedLeaves<
  T extends { id: number; parentId: number | null; deletedAt: Date | null },
>(comments: readonly T[]): T[] {
  const holdsVisibleReply = new Set<number>();
  const keep = new Array<boolean>(comments.length);
  for (let index = comments.length - 1; index >= 0; index--) {
    const comment = comments[index]!;
    keep[index] = comment.deletedAt === null || holdsVisibleReply.has(comment.id);
    if (keep[index] && comment.parentId !== null) holdsVisibleReply.add(comment.parentId);
  }
  return comments.filter((_, index) => keep[index]);
}
