// Where a tree trainer's big arrays live: ordinary memory on one thread, shared memory when helper threads join in.
import type { TrainOptions } from '../glm/train-glm-model.js';
import type { CodeAllocator } from './feature-bins.js';
import type { KernelData, NodeKernels } from './node-kernels.js';
import {
  canShareMemory,
  sharedCodes,
  sharedFloat64,
  sharedInt32,
  SharedKernels,
  type HelperThreads,
  type SharedTrainingArrays,
} from './shared-histograms.js';

export interface TreeTrainOptions<P> extends TrainOptions<P> {
  /**
   * Helper threads for histogram building (see serveHistograms). They speed training up and never change the model:
   * every histogram has the same bits whatever the thread count.
   */
  threads?: HelperThreads | undefined;
  /**
   * Called after each boosting round with the round count and the holdout loss (log loss, or the regression
   * objective's loss) so far: the intermediate values a pruner judges a hyperparameter trial by. Needs holdout rows;
   * the model is the same with or without it. A callback that throws stops the training with that error.
   */
  onIntermediate?: ((round: number, holdoutLoss: number) => void) | undefined;
}

export interface TrainingMemory {
  codes: CodeAllocator | undefined;
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
  /** Kernels that share the work with the helpers, or undefined on one thread. */
  kernels(data: KernelData, arrays: SharedTrainingArrays): SharedKernels | undefined;
  /** Sends the helpers back once training ends. */
  release(kernels: NodeKernels): void;
}

export function trainingMemory(threads: HelperThreads | undefined): TrainingMemory {
  if (threads === undefined || threads.size === 0 || !canShareMemory()) {
    return {
      codes: undefined,
      float64: (length) => new Float64Array(length),
      int32: (length) => new Int32Array(length),
      kernels: () => undefined,
      release: () => {},
    };
  }
  return {
    codes: sharedCodes,
    float64: sharedFloat64,
    int32: sharedInt32,
    kernels: (data, arrays) => new SharedKernels(threads, data, arrays),
    release: (kernels) => {
      if (kernels instanceof SharedKernels) kernels.detach();
    },
  };
}
