import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircularTarget, TargetScope } from '../../../shared/circular/types';
import type { UnitIndex } from '../../../shared/circular/unit-index';
import { ancestorCodes, subtreeCodes } from '../../../shared/circular/unit-index';
import { UNIT_LEVELS, type UnitLevel } from '../../../shared/org/types';

/**
 * Picks targets from the org tree: a unit, a whole subtree, or one level within a subtree, or a
 * community's residents (群众通知).
 */
export function TargetPicker(props: {
  index: UnitIndex;
  /** Units the issuer may target (their own units' subtrees), in tree order. */
  codes: readonly string[];
  /** Communities whose residents' notice room the issuer may target. */
  residentsCodes?: readonly string[];
  targets: CircularTarget[];
  onChange(targets: CircularTarget[]): void;
}) {
  const { t } = useTranslation();
  const { index, codes } = props;
  const residentsCodes = props.residentsCodes ?? [];
  const pickable = index.preorder.filter((c) => codes.includes(c) || residentsCodes.includes(c));
  const [chosenUnit, setUnitCode] = useState('');
  const unitCode = pickable.includes(chosenUnit) ? chosenUnit : (pickable[0] ?? '');
  const [chosenScope, setScope] = useState<TargetScope>('unit');
  const staff = codes.includes(unitCode);
  const residents = residentsCodes.includes(unitCode);
  // A grid worker's community offers its residents only; a scope the unit lacks falls back.
  const scope: TargetScope =
    chosenScope === 'residents'
      ? residents
        ? 'residents'
        : 'unit'
      : staff
        ? chosenScope
        : 'residents';
  const levelsBelow = UNIT_LEVELS.filter((l) =>
    subtreeCodes(index, unitCode).some((c) => c !== unitCode && index.byCode.get(c)?.level === l),
  );
  const [level, setLevel] = useState<UnitLevel | ''>('');
  const effectiveLevel = level !== '' && levelsBelow.includes(level) ? level : levelsBelow[0];
  const add = () => {
    if (!unitCode) return;
    const target: CircularTarget =
      scope === 'level' && effectiveLevel
        ? { unitCode, scope, level: effectiveLevel }
        : { unitCode, scope: scope === 'level' ? 'subtree' : scope };
    const key = JSON.stringify(target);
    if (props.targets.some((x) => JSON.stringify(x) === key)) return;
    props.onChange([...props.targets, target]);
  };
  const describe = (x: CircularTarget) => {
    const name = index.byCode.get(x.unitCode)?.name ?? x.unitCode;
    if (x.scope === 'unit') return `${name} · ${t('circulars.compose.scopeUnit')}`;
    if (x.scope === 'subtree') return `${name} · ${t('circulars.compose.scopeSubtree')}`;
    if (x.scope === 'residents') return `${name} · ${t('circulars.compose.scopeResidents')}`;
    return `${name} · ${t(`circulars.levels.${x.level ?? 'county'}`)}`;
  };
  return (
    <div className="circ-targets">
      <div className="circ-target-row">
        <select
          aria-label={t('circulars.compose.targetUnit')}
          data-testid="target-unit"
          value={unitCode}
          onChange={(e) => setUnitCode(e.target.value)}
        >
          {pickable.map((c) => (
            <option key={c} value={c}>
              {'\u3000'.repeat(ancestorCodes(index, c).length)}
              {index.byCode.get(c)?.name ?? c}
            </option>
          ))}
        </select>
        <select
          aria-label={t('circulars.compose.scope')}
          data-testid="target-scope"
          value={scope}
          onChange={(e) => setScope(e.target.value as TargetScope)}
        >
          {staff && <option value="unit">{t('circulars.compose.scopeUnit')}</option>}
          {staff && <option value="subtree">{t('circulars.compose.scopeSubtree')}</option>}
          {staff && levelsBelow.length > 0 && (
            <option value="level">{t('circulars.compose.scopeLevel')}</option>
          )}
          {residents && <option value="residents">{t('circulars.compose.scopeResidents')}</option>}
        </select>
        {scope === 'level' && levelsBelow.length > 0 && (
          <select
            aria-label={t('circulars.compose.level')}
            data-testid="target-level"
            value={effectiveLevel}
            onChange={(e) => setLevel(e.target.value as UnitLevel)}
          >
            {levelsBelow.map((l) => (
              <option key={l} value={l}>
                {t(`circulars.levels.${l}`)}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="secondary" data-testid="target-add" onClick={add}>
          {t('circulars.compose.addTarget')}
        </button>
      </div>
      {props.targets.length === 0 ? (
        <p className="muted">{t('circulars.compose.noTargets')}</p>
      ) : (
        <ul className="circ-chips">
          {props.targets.map((x, i) => (
            <li key={i} className="circ-chip" data-testid="target-chip">
              {describe(x)}
              <button
                type="button"
                aria-label={t('circulars.compose.removeTarget')}
                onClick={() => props.onChange(props.targets.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
