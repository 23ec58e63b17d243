#errvr "wwwwwwwwÿÿÿÿÿÿÿÿwwwwnk * x cláunk
   .text" n asr.
        .text" J