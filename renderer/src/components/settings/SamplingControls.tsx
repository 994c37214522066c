import { useId } from 'react';
import { MAX_SEED, randomSeed, SAMPLING_CONTROLS } from '../../../../main/common/sampling';
import { useStudio, useStudioGetter } from '../../store/react';
import { Icon } from '../common/Icon';
import { NumberField } from '../common/NumberField';
import { SliderField } from '../common/SliderField';

/** Seed and sampling settings: the defaults every generation and edit uses. */
export function SamplingControls() {
  const getState = useStudioGetter();
  const settings = useStudio((state) => state.settings.state?.settings);
  if (!settings) return <p className="muted small">Loading settings…</p>;
  const update = getState().settings.update;

  return (
    <div className="sampling">
      <SeedControl seedMode={settings.seedMode} lockedSeed={settings.lockedSeed} />
      {SAMPLING_CONTROLS.map((setting) => (
        <SliderField
          key={setting.key}
          label={setting.label}
          hint={setting.hint}
          min={setting.min}
          max={setting.max}
          step={setting.step}
          value={settings.sampling[setting.key]}
          onChange={(value) => void update({ sampling: { [setting.key]: value } })}
        />
      ))}
    </div>
  );
}

/**
 * Random seeds by default; typing a seed, rolling the dice or pressing the lock keeps one
 * seed for every run, so that a result can be made again or varied one setting at a time.
 */
function SeedControl({ seedMode, lockedSeed }: { seedMode: 'random' | 'locked'; lockedSeed: number }) {
  const getState = useStudioGetter();
  const update = getState().settings.update;
  const locked = seedMode === 'locked';
  const id = useId();
  return (
    <div className="setting-row seed-row">
      <label className="setting-label" htmlFor={id}>
        Seed
      </label>
      <NumberField
        id={id}
        label="Seed"
        className="seed-input"
        min={0}
        max={MAX_SEED}
        step={1}
        integer
        allowEmpty
        placeholder="Random"
        value={locked ? lockedSeed : null}
        onCommit={(seed) => void update(seed === null ? { seedMode: 'random' } : { seedMode: 'locked', lockedSeed: seed })}
      />
      <div className="seed-buttons">
        <button
          type="button"
          className="icon-button"
          aria-label="Lock seed"
          aria-pressed={locked}
          title={locked ? 'Seed locked: every run uses it. Press for random seeds.' : 'Random seed for every run. Press to lock one.'}
          onClick={() => void update({ seedMode: locked ? 'random' : 'locked' })}
        >
          <Icon name={locked ? 'lock' : 'unlock'} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="New random seed"
          title="Lock a new random seed"
          onClick={() => void update({ seedMode: 'locked', lockedSeed: randomSeed() })}
        >
          <Icon name="dice" />
        </button>
      </div>
    </div>
  );
}
