/**
 * The signature vectors of acr-facts.md §1c that both the client (src/acr/signing) and the
 * emulator's independent checker must reproduce.
 */
export const RPC_VECTOR_A = {
  secret: 'testsecret',
  params: {
    AccessKeyId: 'testid',
    Action: 'DescribeDedicatedHosts',
    Format: 'JSON',
    RegionId: 'cn-beijing',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: 'edb2b34af0af9a6d14deaf7c1a5315eb',
    SignatureVersion: '1.0',
    Timestamp: '2023-03-13T08:34:30Z',
    Version: '2014-05-26',
  },
  stringToSign:
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26',
  signature: '9NaGiOspFP5UPcwX8Iwt2YJXXuk=',
};

export const RPC_VECTOR_B = {
  secret: 'testsecret',
  params: {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26',
  },
  stringToSign:
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
  /** The same with the misspelt `TimeStamp` some copies carry: it sorts differently. */
  misspeltSignature: 'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
};

/** Derived in acr-facts.md from the documented algorithm (not an oracle): GET /tokens. */
export const ROA_TOKENS_VECTOR = {
  secret: 'testsecret',
  headers: {
    accept: 'application/json',
    date: 'Wed, 23 May 2018 12:00:01 GMT',
    'x-acs-version': '2016-06-07',
    'x-acs-signature-version': '1.0',
    'x-acs-signature-nonce': 'f63659d4-10ac-483b-99da-ea8fde61eae3',
    'x-acs-signature-method': 'HMAC-SHA1',
    'x-acs-region-id': 'cn-hangzhou',
  },
  stringToSign:
    'GET\napplication/json\n\n\nWed, 23 May 2018 12:00:01 GMT\n' +
    'x-acs-region-id:cn-hangzhou\nx-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:f63659d4-10ac-483b-99da-ea8fde61eae3\n' +
    'x-acs-signature-version:1.0\nx-acs-version:2016-06-07\n/tokens',
  signature: '5m3gQ4GDPBAbvFpde0XL5ETEqOY=',
};
