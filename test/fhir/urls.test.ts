/** FHIR base URL handling: a server at the root of its origin (found by the boundary fuzz). */
import { describe, expect, it } from 'vitest';
import { isUnderBase, parseBaseUrl, relativeQuery, resolveUrl } from '../../src/fhir/urls.js';

describe('a FHIR base at the server root', () => {
  const base = parseBaseUrl('http://127.0.0.1:8103');
  it('resolves a relative query under it, not as a host named after the resource type', () => {
    const url = resolveUrl(base, 'Condition?patient=p1');
    expect(url.href).toBe('http://127.0.0.1:8103/Condition?patient=p1');
    expect(isUnderBase(base, url)).toBe(true);
    expect(relativeQuery(base, url)).toBe('Condition?patient=p1');
  });
  it('still refuses other origins', () => {
    expect(isUnderBase(base, new URL('http://127.0.0.1:9999/Condition'))).toBe(false);
  });
  it('keeps a base with a path working', () => {
    const b = parseBaseUrl('https://ehr.example/fhir/r4/');
    expect(resolveUrl(b, 'Patient/p1').href).toBe('https://ehr.example/fhir/r4/Patient/p1');
    expect(isUnderBase(b, new URL('https://ehr.example/fhir/r4x/Patient/p1'))).toBe(false);
  });
});
