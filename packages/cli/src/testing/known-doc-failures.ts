/**
 * TypeScript blocks in package READMEs that do not typecheck yet, owned by other packages (the
 * docs-code test keeps them visible: a new failure fails the test, and so does an entry here that
 * no longer fails — remove it then). Keyed by file and TypeScript's message, not line numbers.
 * Mark a block that is an excerpt on purpose as ```ts fragment instead.
 */
export const KNOWN_DOC_FAILURES: Record<string, string[]> = {
  'packages/augment/README.md': ["'view1' is possibly 'undefined'.", "'view2' is possibly 'undefined'."],
  'packages/backend/README.md': [
    "Argument of type 'Tensor<Rank>' is not assignable to parameter of type 'TensorLike | Tensor3D | Tensor4D'.",
    "Argument of type '() => tf.Tensor<tf.Rank>' is not assignable to parameter of type '() => Scalar'.",
    "Argument of type 'Scalar | null' is not assignable to parameter of type 'TensorContainer'.",
  ],
  'packages/data/README.md': ["Type 'undefined' cannot be used as an index type."],
};
