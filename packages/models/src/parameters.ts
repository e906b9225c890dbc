import { type Rng, type Tensor, tf, variableFromTensor } from '@selfsup/backend';

/**
 * How the weights of a module's conv and linear layers start:
 * - `he-normal`: N(0, 2/fan_in) for layers followed by a ReLU (He et al. 2015), Glorot-uniform
 *   otherwise, zero biases — the Keras/TF convention;
 * - `fan-in-uniform`: U(±1/√fan_in) for weights and biases — PyTorch's default for `nn.Conv2d`
 *   and `nn.Linear` (kaiming_uniform with a = √5). Its weights are ≈2.4× smaller than He's, so
 *   with batch norm after the layer the same Adam step turns them further: a higher effective
 *   learning rate. Use it to match a PyTorch recipe.
 */
export type WeightInit = 'he-normal' | 'fan-in-uniform';

/** How a parameter starts. */
export type Initializer =
  | { kind: 'heNormal'; fanIn: number }
  | { kind: 'glorotUniform'; fanIn: number; fanOut: number }
  | { kind: 'fanInUniform'; fanIn: number }
  | { kind: 'truncatedNormal'; std: number }
  | { kind: 'constant'; value: number };

/**
 * Creates and owns the variables of a module: each gets a unique name (`prefix/name`), a seeded
 * initial value, and a role — trainable (updated by the optimizer) or state (updated in the
 * forward pass, like batch norm's running statistics; saved with checkpoints, never optimized).
 */
export class ParameterStore {
  readonly trainable: tf.Variable[] = [];
  readonly state: tf.Variable[] = [];

  private readonly instance: number;

  constructor(
    private readonly prefix: string,
    private readonly rng: Rng,
    instance?: number,
  ) {
    this.instance = instance ?? nextInstance++;
  }

  /** A child store whose names are `prefix/child/…`, drawing from an independent seeded stream. */
  child(name: string): ParameterStore {
    const store = new ParameterStore(`${this.prefix}/${name}`, this.rng.fork(name), this.instance);
    store.parent = this;
    return store;
  }

  private parent: ParameterStore | undefined;

  /** A trainable variable. */
  weight(name: string, shape: number[], init: Initializer): tf.Variable {
    return this.add(name, shape, init, true);
  }

  /** A non-trainable state variable. */
  stateVariable(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, shape, { kind: 'constant', value }, false);
  }

  private add(name: string, shape: number[], init: Initializer, trainable: boolean): tf.Variable {
    // tfjs variable names are global: the instance suffix lets two copies of a module (an online
    // and a target network) coexist; `parameterName` strips it for saving.
    const fullName = `${this.prefix}/${name}#${this.instance}`;
    const variable = variableFromTensor(initialValue(shape, init, this.rng), { trainable, name: fullName });
    let store: ParameterStore | undefined = this;
    while (store !== undefined) {
      (trainable ? store.trainable : store.state).push(variable);
      store = store.parent;
    }
    return variable;
  }

  /** Every variable, trainable first. */
  all(): tf.Variable[] {
    return [...this.trainable, ...this.state];
  }

  dispose(): void {
    tf.dispose(this.all());
  }
}

let nextInstance = 1;

/** A parameter's name within its module (`module/block/layer/weight`), without the instance suffix. */
export function parameterName(variable: tf.Variable): string {
  return variable.name.replace(/#\d+$/, '');
}

function initialValue(shape: number[], init: Initializer, rng: Rng): Tensor {
  switch (init.kind) {
    case 'heNormal':
      return rng.normalTensor(shape, 0, Math.sqrt(2 / init.fanIn));
    case 'glorotUniform': {
      const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
      return rng.uniformTensor(shape, -limit, limit);
    }
    case 'fanInUniform': {
      const limit = 1 / Math.sqrt(init.fanIn);
      return rng.uniformTensor(shape, -limit, limit);
    }
    case 'truncatedNormal':
      return tf.tidy(() => tf.clipByValue(rng.normalTensor(shape, 0, init.std), -2 * init.std, 2 * init.std));
    case 'constant':
      return tf.fill(shape, init.value);
  }
}
