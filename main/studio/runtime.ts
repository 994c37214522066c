/**
 * The open model: which package and execution provider are really in use. The engine runs
 * in a process of its own (main/engine/process/), so a native crash there fails one run
 * and never the studio. Switching opens the new engine first and only then closes the old
 * one, so a bad choice leaves the working model in place.
 */
import { Engine, providerFallbacks, type ProviderSetting } from '../engine/index';
import { EngineProcess, type EngineLauncher } from '../engine/process/engine-process';
import type { ModelInfo, RuntimeStatus, SamplingSettings } from '../common/contract';
import { UserError } from './errors';

export interface ModelChoice {
  /** Folder of a model package; null for the embedded one. */
  modelPackage: string | null;
  executionProvider: ProviderSetting;
}

export interface RuntimeOptions {
  /** Starts an engine process: a Node fork (bridge, tests) or an Electron utility process. */
  launchEngine: EngineLauncher;
  /** Folder of embedded packages (the repository's or the app's `native-models/`). */
  embeddedModelsDir?: string;
  onWarning?: (message: string) => void;
}

export class Runtime {
  private engine: EngineProcess | null = null;
  private loading: Promise<EngineProcess | null> = Promise.resolve(null);
  private error: string | null = 'The model is not loaded yet.';
  private readonly openedListeners: (() => void)[] = [];

  constructor(private readonly options: RuntimeOptions) {}

  /** Opens the chosen model; rejects with a clear message and keeps the current one on failure. */
  switchTo(choice: ModelChoice): Promise<EngineProcess> {
    const opening = EngineProcess.open(
      {
        provider: choice.executionProvider,
        ...(choice.modelPackage === null ? {} : { packageDir: choice.modelPackage }),
        ...(this.options.embeddedModelsDir ? { embeddedModelsDir: this.options.embeddedModelsDir } : {}),
      },
      this.options.launchEngine,
      this.options.onWarning,
    );
    const previous = this.engine;
    this.loading = opening.then(
      async (engine) => {
        this.engine = engine;
        this.error = null;
        await previous?.close();
        for (const listener of this.openedListeners) listener();
        return engine;
      },
      () => this.engine,
    );
    return opening.catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!this.engine) this.error = message;
      throw new UserError(`Could not open the model package: ${message}`);
    });
  }

  /** Calls `listener` each time a model has been opened (the first, or a switch). */
  onOpened(listener: () => void): void {
    this.openedListeners.push(listener);
  }

  /** The open engine, waiting for one being opened; a clear error when there is none. */
  async current(): Promise<EngineProcess> {
    const engine = (await this.loading) ?? this.engine;
    if (!engine) throw new UserError(`No model is loaded: ${this.error ?? 'unknown reason'}`);
    return engine;
  }

  /** The open model's sampling defaults (without waiting); null while none is open. */
  get modelDefaults(): SamplingSettings | null {
    return this.engine?.package.defaults ?? null;
  }

  /** The open model's folder (without waiting); null while none is open. */
  get openDir(): string | null {
    return this.engine?.package.dir ?? null;
  }

  /** Whether a model is open (without waiting). */
  get ready(): boolean {
    return this.engine !== null;
  }

  /** Waits for any model being opened, then reports what is in use. */
  async status(): Promise<Omit<RuntimeStatus, 'dataDir' | 'nextDataDir' | 'host'>> {
    await this.loading;
    const engine = this.engine;
    return {
      model: engine ? modelInfo(engine) : null,
      modelError: engine ? null : this.error,
      activeProvider: engine ? activeProvider(engine) : null,
      providers: await Engine.checkProviders(),
      providerNotes: engine ? providerFallbacks(engine.providers).map(({ provider, detail }) => `${provider} did not start: ${detail}`) : [],
    };
  }

  async close(): Promise<void> {
    await this.loading;
    await this.engine?.close();
    this.engine = null;
  }
}

function modelInfo(engine: EngineProcess): ModelInfo {
  const { id, name, resolution, grid, defaults } = engine.package;
  return { id, name, resolution, grid, defaults };
}

/** The decoder's provider is what sets the speed; other graphs that fell back are named too. */
export function activeProvider(engine: EngineProcess): string {
  const sessions = engine.providers.sessions;
  const decoder = sessions.find((session) => session.graph === engine.providers.decodingGraph)?.provider ?? sessions[0]?.provider ?? 'cpu';
  const others = sessions.filter((session) => session.provider !== decoder).map((s) => `${s.graph} on ${s.provider}`);
  return others.length ? `${decoder} (${others.join(', ')})` : decoder;
}
