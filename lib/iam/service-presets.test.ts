import { describe, expect, it } from 'vitest';
import {
  getServicePreset,
  listServicePresetsFor,
  serviceDisplayNames,
  servicePresets,
} from '@/lib/iam/service-presets';
import { servicePrincipalSchema } from '@/lib/iam/trust-entity';

describe('servicePresets', () => {
  it('have unique ids, valid principals and a display name for each principal', () => {
    expect(new Set(servicePresets.map((p) => p.id)).size).toBe(servicePresets.length);
    for (const preset of servicePresets) {
      for (const principal of preset.principals) {
        expect(servicePrincipalSchema.safeParse(principal).success, principal).toBe(true);
        expect(serviceDisplayNames[principal], principal).toBeDefined();
      }
    }
  });

  it.each([
    'ec2',
    'lambda',
    'ecs-tasks',
    'eks-cluster',
    'glue',
    'sagemaker',
    'apigateway',
    'cloudformation',
    'codebuild',
    'states',
    'batch',
  ])('offers %s', (id) => {
    expect(getServicePreset(id)?.principals.length).toBeGreaterThan(0);
  });

  it('finds the use cases of a trust', () => {
    expect(listServicePresetsFor(['ec2.amazonaws.com'], false).map((p) => p.id)).toEqual(['ec2']);
    expect(listServicePresetsFor(['pods.eks.amazonaws.com'], true).map((p) => p.id)).toEqual([
      'eks-pod-identity',
    ]);
    expect(listServicePresetsFor(['pods.eks.amazonaws.com'], false)).toEqual([]);
    expect(getServicePreset('nope')).toBeUndefined();
  });
});
