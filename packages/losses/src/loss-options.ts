/** Options every loss in this package accepts. */
export interface LossOptions {
  /**
   * Read the finished loss (one number, one sync) and throw if it is NaN or infinite, naming the
   * input that holds a non-finite value or, when every input is finite, the options to check.
   * Default true. Turn it off only where the caller already checks the loss, e.g. a training loop
   * that reads it anyway: a NaN then passes silently.
   */
  checkFinite?: boolean;
}
