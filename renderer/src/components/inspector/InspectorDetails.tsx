import type { ImageDetails } from '../../api';
import { EXTEND_SIDE_LABELS } from '../../../../main/common/extension';
import { VARIATION_KEEP_LABELS } from '../../../../main/common/variation';
import { useStudio } from '../../store/react';

export const KIND_NAMES: Record<ImageDetails['item']['parameters']['kind'], string> = {
  generate: 'Generated',
  edit: 'Edited region',
  variation: 'Variation',
  extend: 'Extended canvas',
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** Its place in its run: "best of 8", "#3 of 8", or "the only image of its run". */
export function runPlace(rank: number, runSize: number): string {
  if (runSize === 1) return 'the only image of its run';
  return `${rank === 0 ? 'best' : `#${rank + 1}`} of ${runSize} in its run`;
}

/** Every parameter of the image, what made it, and how long its run took. */
export function InspectorDetails({ details }: { details: ImageDetails }) {
  const { item, runSize, timings, trashed } = details;
  const { parameters } = item;
  const modelName = useStudio((state) => (state.models.state?.models.find((model) => model.id === parameters.modelId)?.name ?? null));
  const rows: [string, string][] = [
    ['Made', `${KIND_NAMES[parameters.kind]}, ${new Date(item.createdAt).toLocaleString()}`],
    ['Rank', runPlace(parameters.rank ?? 0, runSize)],
    ['Seed', String(parameters.seed)],
    ['Model', modelName ? `${modelName} (${parameters.modelId})` : parameters.modelId],
    ['Provider', item.provider.toUpperCase()],
    ['Guidance', String(parameters.settings.guidance)],
    ['Temperature', String(parameters.settings.temperature)],
    ['Top-k', String(parameters.settings.topK)],
    ['Top-p', String(parameters.settings.topP)],
    ['Candidates', String(parameters.settings.candidates)],
  ];
  if (parameters.negativePrompt) rows.splice(1, 0, ['Negative prompt', parameters.negativePrompt]);
  if (parameters.variation) rows.push(['Variation', `strength ${parameters.variation.strength}, ${VARIATION_KEEP_LABELS[parameters.variation.keep].toLowerCase()}`]);
  if (parameters.extension) {
    const { side, by, columns, rows: tall } = parameters.extension;
    rows.push(['Extension', `${EXTEND_SIDE_LABELS[side]} by ${by}, canvas ${columns} × ${tall} cells`]);
  }
  rows.push([
    'Time',
    timings
      ? `${seconds(timings.totalMs)} for the run: prompt ${seconds(timings.encodeMs)}, tokens ${seconds(timings.decodeMs)}, pixels ${seconds(timings.detokenizeMs)}, ranking ${seconds(timings.rerankMs)}`
      : 'not recorded (the image was imported, or saved before timings were kept)',
  ]);
  return (
    <section className="inspector-section" aria-label="Parameters">
      {trashed && <p className="hint">This image is in the trash.</p>}
      {item.missing && <p className="hint">Its file is missing from the library folder.</p>}
      <dl className="parameter-list">
        {rows.map(([name, value]) => (
          <div key={name} className="parameter-row">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
