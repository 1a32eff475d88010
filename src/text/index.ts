/** Text analysis of comments: pure functions, no I/O. See docs/text-analysis.md. */
export * from './normalize.ts';
export * from './stopwords.ts';
export * from './language.ts';
export * from './lexicon.ts';
export * from './classifier.ts';
export * from './themes.ts';
