import { useState, type PointerEvent, type ReactNode } from 'react';

export interface WipeImage {
  src: string;
  alt: string;
  /** The corner tag ("Before", "After", "This image"). */
  tag: string;
}

/** Where the divider is, in % from the left, and the pointer handler that moves it while pressed. */
export function useWipe() {
  const [divider, setDivider] = useState(50);
  const follow = (event: PointerEvent<HTMLDivElement>) => {
    if (event.type === 'pointermove' && event.buttons === 0) return;
    const box = event.currentTarget.getBoundingClientRect();
    setDivider(Math.round(Math.min(100, Math.max(0, ((event.clientX - box.left) / box.width) * 100))));
  };
  return { divider, setDivider, follow };
}
export type Wipe = ReturnType<typeof useWipe>;

/**
 * Two images in one frame: `over` covers `under` right of the divider; without `over`,
 * `empty` says why there is nothing to compare yet.
 */
export function WipeStage({ wipe, under, over, empty, className = '' }: { wipe: Wipe; under: WipeImage; over?: WipeImage; empty: ReactNode; className?: string }) {
  return (
    <div className={`compare-stage ${className}`} onPointerDown={wipe.follow} onPointerMove={wipe.follow}>
      <img className="compare-image pixelated" src={under.src} alt={under.alt} draggable={false} />
      {over ? (
        <>
          <img className="compare-image pixelated" src={over.src} alt={over.alt} style={{ clipPath: `inset(0 0 0 ${wipe.divider}%)` }} draggable={false} />
          <div className="compare-divider" style={{ left: `${wipe.divider}%` }} aria-hidden="true" />
          <span className="compare-tag compare-tag-before">{under.tag}</span>
          <span className="compare-tag compare-tag-after">{over.tag}</span>
        </>
      ) : (
        <div className="compare-empty">{empty}</div>
      )}
    </div>
  );
}

/** The divider from the keyboard (arrow keys); `valueOf` says what a position shows. */
export function WipeSlider({ wipe, label, disabled, valueOf }: { wipe: Wipe; label: string; disabled: boolean; valueOf(divider: number): string }) {
  return (
    <input
      type="range"
      className="compare-slider"
      min={0}
      max={100}
      value={wipe.divider}
      disabled={disabled}
      aria-label={label}
      aria-valuetext={valueOf(wipe.divider)}
      onChange={(event) => wipe.setDivider(Number(event.target.value))}
    />
  );
}
