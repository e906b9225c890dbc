import { initBackend, tf } from '@selfsup/backend';
import { createSmallCnn, type Encoder } from '@selfsup/models';
import type { EncoderInput } from '@selfsup/pretext';
import { visionTasks } from '@selfsup/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { taskEncoders } from './task-encoders.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** A small CNN per input, standardizing raw pixels only; records what it was asked for. */
function recordingCreate(asked: EncoderInput[]) {
  return (input: EncoderInput): Encoder => {
    asked.push(input);
    const channels = input.shape[2] as number;
    return createSmallCnn({
      inputShape: input.shape as [number, number, number],
      widths: [4, 8],
      strides: [2, 2],
      seed: asked.length,
      ...(input.pixels ? { normalization: { mean: Array(channels).fill(0.3), std: Array(channels).fill(0.35) } } : {}),
    });
  };
}

const weightsOf = (encoder: Encoder) => encoder.trainableVariables.map((v) => Array.from(v.dataSync()));

describe('taskEncoders', () => {
  it('a task that sees whole images trains and is evaluated as one encoder', () => {
    const asked: EncoderInput[] = [];
    const before = tf.memory().numTensors;
    const encoders = taskEncoders(visionTasks.rotation(), { sampleShape: [28, 28, 1], create: recordingCreate(asked) });
    expect(asked).toEqual([{ shape: [28, 28, 1], pixels: true }]);
    expect(encoders.evaluationEncoder).toBe(encoders.encoder);
    encoders.copyTrainedWeights();
    encoders.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('colorization trains on the lightness of colour patches and is evaluated on grey images as the same encoder', () => {
    const asked: EncoderInput[] = [];
    const encoders = taskEncoders(visionTasks.colorization(), {
      sampleShape: [28, 28, 3],
      evaluationSize: [28, 28],
      create: recordingCreate(asked),
    });
    expect(asked).toEqual([{ shape: [28, 28, 1], pixels: false }]);
    expect(encoders.evaluationEncoder).toBe(encoders.encoder);
    encoders.dispose();
  });

  it('jigsaw on 64-px photo patches trains on 16-px tiles; a 28×28 twin that standardizes gets the trained weights', () => {
    const asked: EncoderInput[] = [];
    const before = tf.memory().numTensors;
    const task = visionTasks.jigsaw({ cellSize: 21, tileSize: 16 });
    const encoders = taskEncoders(task, {
      sampleShape: [64, 64, 3],
      evaluationSize: [28, 28],
      create: recordingCreate(asked),
    });
    expect(asked).toEqual([
      { shape: [16, 16, 3], pixels: false },
      { shape: [28, 28, 3], pixels: true },
    ]);
    expect(encoders.encoder.inputShape).toEqual([16, 16, 3]);
    expect(encoders.evaluationEncoder.inputShape).toEqual([28, 28, 3]);
    // Made with another seed: the twin's weights differ until they are copied.
    expect(weightsOf(encoders.evaluationEncoder)).not.toEqual(weightsOf(encoders.encoder));
    tf.tidy(() => {
      for (const variable of encoders.encoder.trainableVariables) variable.assign(tf.add(variable, 0.5));
    });
    encoders.copyTrainedWeights();
    expect(weightsOf(encoders.evaluationEncoder)).toEqual(weightsOf(encoders.encoder));
    const features = tf.tidy(() => encoders.evaluationEncoder.apply(tf.ones([2, 28, 28, 3]), { training: false }));
    expect(features.shape).toEqual([2, 8]);
    features.dispose();
    encoders.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
