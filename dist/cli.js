import{createRequire as __acrShipRequire}from'node:module';const require=__acrShipRequire(import.meta.url);
var o=class extends Error{location;constructor(e,n){super(e),this.name="UserError",this.location=n}},s=class extends Error{errors;constructor(e){super(e.map(n=>n.message).join(`
`)),this.name="UserErrors",this.errors=e}};function i(r){return r instanceof o||r instanceof s}function a(r){return(r instanceof Error?r.message:String(r)).replace(/\s*\n\s*/g," ").trim()}var m={};function c(){let r=Object.entries(m).map(([e,n])=>`  ${e.padEnd(10)} ${n.summary}`);return["usage: node dist/cli.js <command> [options]","commands:",...r.length?r:["  (none yet)"]].join(`
`)}async function u(r){let[e,...n]=r;if(!e||e==="--help"||e==="-h")return process.stdout.write(c()+`
`),e?0:2;let t=m[e];return t?(await t.load()).run(n):(process.stderr.write(`error: unknown command '${e}'
${c()}
`),2)}u(process.argv.slice(2)).then(r=>{process.exitCode=r},r=>{let e=r instanceof s?r.errors.map(n=>n.message):[i(r)?r.message:a(r)];for(let n of e)process.stderr.write(`error: ${n}
`);process.exitCode=1});
