import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/input';

/**
 * One select of a list's filter form: a labelled field named `name`, its first option the "no
 * filter" choice (`anyLabel`, empty value), the field's errors under it.
 */
export function SelectFilter({
  id,
  name,
  label,
  value,
  anyLabel,
  options,
  errors,
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  anyLabel: string;
  options: readonly { value: string; label: string }[];
  errors?: readonly string[];
}) {
  return (
    <Field id={id} label={label} errors={errors}>
      {(props) => (
        <Select {...props} name={name} defaultValue={value}>
          <option value="">{anyLabel}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
