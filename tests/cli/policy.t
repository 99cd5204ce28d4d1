# patchline policy check / show (issue 5, tiering). No store is needed.

### policy-1.1: the built-in policies pass check, monotonicity included
$ policy check default ssvc epss
> default: ok: policy 'default', 5 tiers; monotone on 203911 sampled risk steps
> ssvc: ok: policy 'ssvc', 5 tiers; monotone on 204009 sampled risk steps
> epss: ok: policy 'epss', 5 tiers; monotone on 203987 sampled risk steps

### policy-1.2: a custom policy file passes
$ policy check --samples 0 $FIX/policy/custom.yaml
> $FIX/policy/custom.yaml: ok: policy 'custom', 2 tiers

### policy-1.3: check works without a store, whatever --db says
$ --db /nonexistent/dir/x.db policy check --samples 0 default
> default: ok: policy 'default', 5 tiers

### policy-2.1: a misspelt condition names file, line, column and the fix
$ policy check $FIX/policy/bad-condition.yaml
? 1
2> $FIX/policy/bad-condition.yaml:8:12: rule 'crit-prod': unknown condition 'cvs'; did you mean 'cvss'?

### policy-2.2: a policy that lowers a tier when a risk fact is added is invalid
$ policy check $FIX/policy/not-monotone.yaml
? 1
2> $FIX/policy/not-monotone.yaml:7:5: rule 'internal-first' (tier 0): not monotone: after 'exposure no->unknown' rule 'default' gives tier 1

### policy-2.3: binary garbage is a syntax error with its position
$ policy check $FIX/policy/garbage.yaml
? 1
2> $FIX/policy/garbage.yaml:2:1: YAML syntax error: control characters are not allowed

### policy-2.4: a 10 MB file is refused
! head -c 10485760 /dev/zero | tr '\0' '#' > "$T/big.yaml"
$ policy check $T/big.yaml
? 1
2> $T/big.yaml: policy is larger than 1048576 bytes

### policy-2.5: one bad file among good ones fails the whole check
$ policy check --samples 0 default $FIX/policy/bad-condition.yaml
? 1
> default: ok: policy 'default', 5 tiers

### policy-2.6: an absent file
$ policy check $T/absent.yaml
? 1
2> '$T/absent.yaml' is neither a file nor a built-in policy (default, ssvc, epss)

### policy-3.1: check needs a file
$ policy check
? 2
2> policy check: name a policy file

### policy-3.2: --samples wants a number
$ policy check --samples many default
? 2
2> --samples: want 0 to 100000000, not 'many'

### policy-4.1: show prints the effective default policy
$ policy show
>* # effective policy from builtin:default
>* policy: default
>*   - tier: 0
>*     name: Emergency
>*     sla: 1d
>*     max_exception: 30d
>*     treat_as: yes
>*   unscored_due: 90d
>*   vendor_emergency: [critical, emergency]
>*   - name: critical-exposed-or-prod
>*       - {cvss: ">= 9.0", environment: prod}
>* default:
>*   tier: 4

### policy-4.2: show a built-in by name
$ policy show ssvc
>* policy: ssvc
>*     when: {ssvc_cisa: "track*"}

### policy-4.3: show a file, defaults filled in
$ policy show $FIX/policy/custom.yaml
>* # effective policy from $FIX/policy/custom.yaml
>*     max_exception: 14d
>*     provisional: false
>*   vendor_emergency: [emergency]
>*     when: {tag: [pci, sox], cvss: ">= 7.0"}
>*       - {epss_percentile: ">= 0.95", exposure: [unknown, yes]}

### policy-4.4: show an unknown name
$ policy show nope
? 1
2> 'nope' is neither a file nor a built-in policy (default, ssvc, epss)

### policy-4.5: the group lists its subcommands
$ policy --help
>* check
>* show
