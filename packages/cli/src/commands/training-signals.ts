/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM into a graceful stop — the step in progress
 * finishes and a checkpoint is written — and a second one into an immediate exit (130).
 * Returns the signal to pass to `pretrain` and a function that removes the handlers.
 */
export function gracefulStop(log: (line: string) => void): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log(`${name} again: exiting now (the newest complete checkpoint stays readable)`);
      process.exit(130);
    }
    log(`${name}: stopping after this step and writing a checkpoint (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
