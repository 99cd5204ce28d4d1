# patchline cvss: score CVSS vectors from arguments or standard input (issue 3).

### cvss-1.1: one line per argument vector, score TAB severity
$ cvss "AV:N/AC:L/Au:N/C:P/I:P/A:P" CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
> 7.5	High
> 6.1	Medium
> 9.8	Critical
> 9.3	Critical

### cvss-1.2: v2 uses the v2 bands and adds temporal and environmental columns
$ cvss "(AV:L/AC:H/Au:N/C:C/I:C/A:C)" AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M AV:L/AC:H/Au:M/C:N/I:N/A:N
> 6.2	Medium
> 6.2	Medium	4.9
> 6.2	Medium	4.9	7.5
> 0.0	Low

### cvss-1.3: v3.x temporal and environmental columns; environmental alone brings temporal too
$ cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/E:U CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/MAV:L CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N
> 9.6	Critical	8.8
> 9.6	Critical	9.6	8.6
> 0.0	None

### cvss-1.4: v4.0 prints only the one score, whatever metric groups are present
$ cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MAV:A/S:P
> 6.2	Medium

### cvss-1.5: a bad argument prints invalid: REASON in its place and exits 1
$ cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N ""
? 1
> 9.8	Critical
> invalid: cvss 3.1: missing mandatory metric 'A'
> invalid: cvss 4.0: metric 'AV' out of order (after 'AC')
> invalid: empty cvss vector

### cvss-1.6: overlong and unsupported vectors name the problem
$ cvss "$(head -c 600 /dev/zero | tr -c A A)" CVSS:2.0/AV:N
? 1
> invalid: cvss vector longer than 512 bytes
> invalid: unsupported cvss version prefix 'CVSS:2.0' (want CVSS:3.0, CVSS:3.1 or CVSS:4.0, or a v2 vector without prefix)

### cvss-2.1: stdin mode, one output line per input line (CRLF, blanks around, empty line)
$ cvss < $FIX/cvss/mixed.txt
> 7.5	High
> 9.8	Critical
> invalid: empty cvss vector
> 9.3	Critical
> invalid: cvss 3.1: trailing '/'
> 6.1	Medium	5.5
> 9.3	Critical

### cvss-2.2: stdin mode with binary garbage still exits 0
$ cvss < $FIX/cvss/binary.bin
> invalid: NUL byte in line 1
> invalid: cvss vector has byte 0xff at offset 0 (want printable ASCII)
> 10.0	High

### cvss-2.3: stdin lines read as given
< CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N
< XX:Y
$ cvss
> 1.6	Low
> invalid: cvss 2.0: unknown metric 'XX'

### cvss-2.4: a line over the 1 MiB line cap is an error (exit 1)
! head -c 3000000 /dev/zero | tr -c A A > $T/huge.txt
$ cvss < $T/huge.txt
? 1
2> line longer than 1048576 bytes

### cvss-3.1: no store is needed
$ --db /nonexistent/dir/x.db cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N
> 7.5	High

### cvss-3.2: help and unknown options
$ cvss --help
>* usage: patchline cvss [VECTOR...]

### cvss-3.3: an unknown option is a usage error
$ cvss --frob
? 2
2> usage: patchline cvss
