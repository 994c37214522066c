/**
 * Execution providers: the one list the engine, the settings, the CLI and the UI use.
 * `auto` tries the platform's GPU providers, then CPU.
 */
import { z } from 'zod';

export const PROVIDER_SETTINGS = ['auto', 'cpu', 'webgpu', 'dml', 'coreml', 'cuda'] as const;
export const ProviderSetting = z.enum(PROVIDER_SETTINGS);
export type ProviderSetting = z.infer<typeof ProviderSetting>;

/** How the UI names each setting. */
export const PROVIDER_NAMES: Record<ProviderSetting, string> = {
  auto: 'Automatic (best available)',
  cpu: 'CPU',
  cuda: 'CUDA (NVIDIA)',
  dml: 'DirectML (Windows)',
  coreml: 'Core ML (Apple)',
  webgpu: 'WebGPU',
};

/** Whether a provider this build ships really starts on this machine, and why not when it does not. */
export const ProviderCheck = z.strictObject({
  provider: z.string(),
  starts: z.boolean(),
  /** Why it did not start, in a few words ("no GPU adapter found"); null when it starts. */
  reason: z.string().nullable(),
  /** ONNX Runtime's own first line of the failure; null when it starts. */
  detail: z.string().nullable(),
});
export type ProviderCheck = z.infer<typeof ProviderCheck>;
