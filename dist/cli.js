import{createRequire as __acrShipRequire}from'node:module';const require=__acrShipRequire(import.meta.url);
var s=class extends Error{location;constructor(n,e){super(n),this.name="UserError",this.location=e}},o=class extends Error{errors;constructor(n){super(n.map(e=>e.message).join(`
`)),this.name="UserErrors",this.errors=n}};function i(r){return r instanceof s||r instanceof o}function a(r){return(r instanceof Error?r.message:String(r)).replace(/\s*\n\s*/g," ").trim()}var m={};function c(){let r=Object.entries(m).map(([n,e])=>`  ${n.padEnd(10)} ${e.summary}`);return["usage: node dist/cli.js <command> [options]","commands:",...r.length?r:["  (none yet)"]].join(`
`)}async function u(r){let[n,...e]=r;if(!n||n==="--help"||n==="-h")return process.stdout.write(c()+`
`),n?0:2;let t=m[n];return t?(await t.load()).run(e):(process.stderr.write(`error: unknown command '${n}'
${c()}
`),2)}u(process.argv.slice(2)).then(r=>{process.exitCode=r},r=>{let n=r instanceof o?r.errors.map(e=>e.message):[i(r)?r.message:a(r)];for(let e of n)process.stderr.write(`error: ${e}
`);process.exitCode=1});
