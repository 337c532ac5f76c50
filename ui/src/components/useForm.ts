// A form's state as people fill it in: the values, a setter that patches them, and what is
// wrong with each field, shown only once a submit was tried. `text(field)` is what a
// TextField of a text value needs (its value, its message, its change); its label and test
// id stay written at the field.
import { useState } from "react";

/** The fields of `S` that hold text. */
type TextField<S> = { [K in keyof S]: S[K] extends string ? K : never }[keyof S];

export function useForm<S extends object>(
  initial: S | (() => S),
  /** What is wrong with each field of the values as they are now. */
  check: (form: S) => Partial<Record<keyof S, string>>,
) {
  const [form, setForm] = useState<S>(initial);
  const [tried, setTried] = useState(false);
  const wrong = check(form);
  const set = (patch: Partial<S>) => { setForm((f) => ({ ...f, ...patch })); };
  /** What is wrong with a field, once a submit was tried. */
  const show = (field: keyof S) => (tried ? wrong[field] : undefined);
  /** Marks a submit as tried; true when nothing is wrong, so the form may be sent. */
  const attempt = () => {
    setTried(true);
    return Object.keys(wrong).length === 0;
  };
  const text = (field: TextField<S>) => ({
    value: form[field] as string,
    error: show(field),
    onChange: (value: string) => { set({ [field]: value } as Partial<S>); },
  });
  return { form, setForm, set, show, attempt, setTried, text };
}
