import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { StudioState, StudioStore } from './index';

export const StudioContext = createContext<StudioStore | null>(null);

function useStudioStore(): StudioStore {
  const store = useContext(StudioContext);
  if (!store) throw new Error('useStudio needs a <StudioContext.Provider> around the app');
  return store;
}

/** Reads from the studio store; the component re-renders when the selected value changes. */
export function useStudio<T>(select: (state: StudioState) => T): T {
  return useStore(useStudioStore(), select);
}

/** Like `useStudio`, for selectors that build a fresh object or array of stable parts. */
export function useStudioShallow<T>(select: (state: StudioState) => T): T {
  return useStore(useStudioStore(), useShallow(select));
}

/** The current state without subscribing: for event handlers that call actions. */
export function useStudioGetter(): () => StudioState {
  return useStudioStore().getState;
}
