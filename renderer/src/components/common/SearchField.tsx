import { Icon } from './Icon';

/** A search box with its magnifier; `label` names what it searches, on screen and for assistive technology. */
export function SearchField({ label, value, onSearch }: { label: string; value: string; onSearch: (text: string) => void }) {
  return (
    <label className="search-field">
      <Icon name="search" size={14} />
      <input type="search" aria-label={label} placeholder={label} value={value} onChange={(event) => onSearch(event.target.value)} />
    </label>
  );
}
