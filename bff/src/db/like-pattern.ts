/** `text` with LIKE's wildcards (`%`, `_`) and its escape character taken literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern for values that start with `text`: left-anchored, so a btree index can serve it. */
export const likePrefix = (text: string) => `${escapeLike(text)}%`;
